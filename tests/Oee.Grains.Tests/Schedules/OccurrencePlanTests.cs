using Oee.Grains.Contracts;
using Oee.Grains.Schedules;

namespace Oee.Grains.Tests.Schedules;

/// <summary>Missed-run policies on explicit instants: the schedule handled everything up to the anchor and wakes at now.</summary>
public sealed class OccurrencePlanTests
{
    private static readonly DateTimeOffset Anchor = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(5);

    private static readonly CronSchedule EverySecond = CronSchedule.Of("s", new ScheduleDefinition { Cron = "* * * * * *", Task = new ScheduleTaskTemplate { Name = "t", Handler = "echo" } });

    private static readonly CronSchedule EveryMinute = CronSchedule.Of("s", new ScheduleDefinition { Cron = "* * * * *", Task = new ScheduleTaskTemplate { Name = "t", Handler = "echo" } });

    private static OccurrencePlan Plan(CronSchedule schedule, TimeSpan sinceAnchor, MissedRunPolicy policy, int max = 10) =>
        OccurrencePlan.For(schedule, Anchor, Anchor + sinceAnchor, Threshold, policy, max);

    [Fact]
    public void Nothing_is_due_before_the_next_occurrence()
    {
        var plan = Plan(EveryMinute, TimeSpan.FromSeconds(59), MissedRunPolicy.Skip);
        Assert.Empty(plan.Runs);
        Assert.Equal(0, plan.Skipped);
        Assert.Null(plan.SkippedThrough);
    }

    [Theory]
    [InlineData(MissedRunPolicy.Skip)]
    [InlineData(MissedRunPolicy.RunOnce)]
    [InlineData(MissedRunPolicy.RunAll)]
    public void Late_occurrences_within_the_threshold_run_whatever_the_policy(MissedRunPolicy policy)
    {
        // Woken 3 s late for an every-second schedule: all three are late, none is missed.
        var plan = Plan(EverySecond, TimeSpan.FromSeconds(3), policy);
        Assert.Equal([Anchor.AddSeconds(1), Anchor.AddSeconds(2), Anchor.AddSeconds(3)], plan.Runs);
        Assert.Equal(0, plan.Skipped);
    }

    [Fact]
    public void Skip_runs_no_missed_occurrence_and_counts_them()
    {
        // Down for 60 s: occurrences 1..54 are more than 5 s old (missed), 55..60 at most 5 s (late; 55 exactly 5 s).
        var plan = Plan(EverySecond, TimeSpan.FromSeconds(60), MissedRunPolicy.Skip);
        Assert.Equal(Enumerable.Range(55, 6).Select(s => Anchor.AddSeconds(s)), plan.Runs);
        Assert.Equal(0, plan.CaughtUp);
        Assert.Equal(54, plan.Skipped);
        Assert.Equal(Anchor.AddSeconds(54), plan.SkippedThrough);
    }

    [Fact]
    public void Run_once_runs_the_newest_missed_occurrence_first()
    {
        var plan = Plan(EverySecond, TimeSpan.FromSeconds(60), MissedRunPolicy.RunOnce);
        Assert.Equal(Enumerable.Range(54, 7).Select(s => Anchor.AddSeconds(s)), plan.Runs);
        Assert.Equal(1, plan.CaughtUp);
        Assert.Equal(53, plan.Skipped);
        Assert.Equal(Anchor.AddSeconds(53), plan.SkippedThrough);
    }

    [Fact]
    public void Run_all_runs_the_newest_missed_occurrences_up_to_the_cap_oldest_first()
    {
        var plan = Plan(EverySecond, TimeSpan.FromSeconds(60), MissedRunPolicy.RunAll, max: 10);
        Assert.Equal(Enumerable.Range(45, 16).Select(s => Anchor.AddSeconds(s)), plan.Runs);
        Assert.Equal(10, plan.CaughtUp);
        Assert.Equal(44, plan.Skipped);
        Assert.Equal(Anchor.AddSeconds(44), plan.SkippedThrough);
    }

    [Fact]
    public void An_occurrence_exactly_the_threshold_old_is_late_and_one_a_tick_older_is_missed()
    {
        // Every minute, woken exactly 5 s after the first occurrence: handled at most the threshold late, it runs.
        Assert.Equal([Anchor.AddMinutes(1)], Plan(EveryMinute, TimeSpan.FromMinutes(1) + Threshold, MissedRunPolicy.Skip).Runs);
        var older = Plan(EveryMinute, TimeSpan.FromMinutes(1) + Threshold + TimeSpan.FromTicks(1), MissedRunPolicy.Skip);
        Assert.Empty(older.Runs);
        Assert.Equal(1, older.Skipped);
    }

    [Fact]
    public void Run_all_under_the_cap_runs_every_missed_occurrence()
    {
        // Every minute, down for 5 minutes: 5 missed, all run (cap 10), oldest first.
        var plan = Plan(EveryMinute, TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(30), MissedRunPolicy.RunAll);
        Assert.Equal(Enumerable.Range(1, 5).Select(m => Anchor.AddMinutes(m)), plan.Runs);
        Assert.Equal(0, plan.Skipped);
        Assert.Null(plan.SkippedThrough);
    }

    [Fact]
    public void A_daily_occurrence_hours_ago_is_missed_and_the_policy_decides()
    {
        var daily = CronSchedule.Of("s", new ScheduleDefinition { Cron = "0 3 * * *", Task = new ScheduleTaskTemplate { Name = "t", Handler = "echo" } });
        var wokeAt = TimeSpan.FromHours(15);
        Assert.Empty(Plan(daily, wokeAt, MissedRunPolicy.Skip).Runs);
        Assert.Equal(1, Plan(daily, wokeAt, MissedRunPolicy.Skip).Skipped);
        Assert.Equal([Anchor.AddHours(3)], Plan(daily, wokeAt, MissedRunPolicy.RunOnce).Runs);
    }

    [Fact]
    public void Every_occurrence_is_either_run_or_skipped_exactly_once()
    {
        var random = new Random(11);
        foreach (var policy in Enum.GetValues<MissedRunPolicy>())
        {
            for (var i = 0; i < 50; i++)
            {
                var seconds = random.Next(0, 400);
                var plan = Plan(EverySecond, TimeSpan.FromSeconds(seconds), policy, max: random.Next(1, 20));
                Assert.Equal(seconds, plan.Runs.Count + plan.Skipped);
                Assert.Equal(plan.Runs.Order(), plan.Runs);
                Assert.All(plan.Runs, r => Assert.True(plan.SkippedThrough is null || r > plan.SkippedThrough));
            }
        }
    }
}
