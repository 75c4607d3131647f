using Oee.Grains.Contracts;
using Oee.Grains.Schedules;

namespace Oee.Grains.Tests.Schedules;

public sealed class CronScheduleTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CronSchedule Of(string cron, string? zone = null, string name = "s") =>
        CronSchedule.Of(name, new ScheduleDefinition { Cron = cron, TimeZone = zone, Task = new ScheduleTaskTemplate { Name = "t", Handler = "echo" } });

    [Fact]
    public void Five_fields_are_minutes_and_six_fields_start_with_seconds()
    {
        Assert.Equal([Start.AddMinutes(5), Start.AddMinutes(10)], Of("*/5 * * * *").NextOccurrences(Start, 2));
        Assert.Equal([Start.AddSeconds(10), Start.AddSeconds(20), Start.AddSeconds(30)], Of("*/10 * * * * *").NextOccurrences(Start, 3));
        Assert.Equal([Start.AddSeconds(1), Start.AddSeconds(2)], Of("@every_second").NextOccurrences(Start, 2));
    }

    [Fact]
    public void Occurrences_are_strictly_after_the_start_and_up_to_and_including_the_end()
    {
        var everySecond = Of("* * * * * *");
        Assert.Equal([Start.AddSeconds(1), Start.AddSeconds(2), Start.AddSeconds(3)], everySecond.Between(Start, Start.AddSeconds(3)));
        Assert.Equal([Start.AddSeconds(3), Start.AddSeconds(2), Start.AddSeconds(1)], everySecond.BetweenNewestFirst(Start, Start.AddSeconds(3)));
        Assert.Empty(everySecond.Between(Start, Start));
        Assert.Equal(Start.AddSeconds(1), everySecond.Next(Start));
    }

    [Fact]
    public void A_time_zone_reads_the_fields_in_local_time()
    {
        // 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer.
        var nineInBerlin = Of("0 9 * * *", "Europe/Berlin");
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 8, 0, 0, TimeSpan.Zero), nineInBerlin.Next(Start)!.Value.ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2030, 7, 1, 7, 0, 0, TimeSpan.Zero), nineInBerlin.Next(new DateTimeOffset(2030, 7, 1, 0, 0, 0, TimeSpan.Zero))!.Value.ToUniversalTime());
    }

    [Fact]
    public void A_local_time_skipped_by_the_spring_change_runs_at_the_first_instant_after_it()
    {
        // Berlin, 31 March 2030: 02:00 local jumps to 03:00 (01:00 UTC). "02:30 every day" runs at 03:00 local that day.
        var halfPastTwo = Of("30 2 * * *", "Europe/Berlin");
        var before = new DateTimeOffset(2030, 3, 30, 12, 0, 0, TimeSpan.Zero);
        var occurrences = halfPastTwo.NextOccurrences(before, 2).Select(o => o.ToUniversalTime()).ToArray();
        Assert.Equal(new DateTimeOffset(2030, 3, 31, 1, 0, 0, TimeSpan.Zero), occurrences[0]);
        Assert.Equal(new DateTimeOffset(2030, 4, 1, 0, 30, 0, TimeSpan.Zero), occurrences[1]);
    }

    [Fact]
    public void In_the_autumn_change_a_daily_time_runs_once_and_an_interval_runs_in_both_hours()
    {
        // Berlin, 27 October 2030: 03:00 local goes back to 02:00, so 02:00–02:59 happens twice (00:00–01:59 UTC).
        var from = new DateTimeOffset(2030, 10, 26, 23, 0, 0, TimeSpan.Zero);
        var through = new DateTimeOffset(2030, 10, 27, 3, 0, 0, TimeSpan.Zero);
        Assert.Single(Of("30 2 * * *", "Europe/Berlin").Between(from, through));
        var halfHourly = Of("0,30 2 * * *", "Europe/Berlin").Between(from, through).Select(o => o.ToUniversalTime()).ToArray();
        Assert.Equal(2, halfHourly.Length);
        var everyThirty = Of("*/30 * * * *", "Europe/Berlin").Between(from, through).Where(o => o.Hour == 2).ToArray();
        Assert.Equal(4, everyThirty.Length);
    }

    [Fact]
    public void Jitter_takes_its_value_from_the_name_the_same_every_time()
    {
        var first = Of("H * * * *", name: "nightly").Next(Start);
        Assert.Equal(first, Of("H * * * *", name: "nightly").Next(Start));
        Assert.NotNull(first);
    }

    [Fact]
    public void An_impossible_date_has_no_next_occurrence()
    {
        Assert.Null(Of("0 0 30 2 *").Next(Start));
        Assert.Empty(Of("0 0 30 2 *").NextOccurrences(Start, 5));
    }

    [Theory]
    [InlineData("")]
    [InlineData("* * * *")]
    [InlineData("* * * * * * *")]
    [InlineData("61 * * * *")]
    [InlineData("* * * * * 99")]
    [InlineData("@fortnightly")]
    [InlineData("not a cron")]
    public void A_bad_expression_is_refused_with_a_reason(string cron)
    {
        Assert.False(CronSchedule.TryParseCron(cron, "s", out _, out var error));
        Assert.Contains("ron", error);
    }

    [Fact]
    public void Unknown_time_zones_are_refused_and_none_means_utc()
    {
        Assert.False(CronSchedule.TryFindZone("Mars/Olympus_Mons", out _, out var error));
        Assert.Contains("Mars/Olympus_Mons", error);
        Assert.True(CronSchedule.TryFindZone(null, out var utc, out _));
        Assert.Equal(TimeZoneInfo.Utc, utc);
        Assert.True(CronSchedule.TryFindZone("America/New_York", out _, out _));
    }
}
