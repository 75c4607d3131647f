using Oee.Grains.Contracts;
using Oee.Grains.Schedules;
using Oee.Grains.Tasks;

namespace Oee.Grains.Tests.Schedules;

public sealed class ScheduleRulesTests
{
    private static readonly ScheduleDefinition Valid = new()
    {
        Cron = "*/5 * * * *",
        Task = new ScheduleTaskTemplate { Name = "report", Handler = "echo", Input = "{\"a\":1}" },
    };

    private static IEnumerable<string> FieldsOf(ScheduleDefinition definition, string name = "nightly") =>
        ScheduleRules.Check(name, definition, SubmitPolicy.ForClient).Select(e => e.Field);

    [Fact]
    public void A_valid_definition_has_no_errors()
    {
        Assert.Empty(FieldsOf(Valid));
        Assert.Empty(FieldsOf(Valid with { TimeZone = "Europe/Berlin", MissedRuns = MissedRunPolicy.RunAll, MaxMissedRuns = 100, Overlap = OverlapPolicy.Skip }));
    }

    [Fact]
    public void Each_bad_field_is_named()
    {
        Assert.Equal(["cron"], FieldsOf(Valid with { Cron = "every day" }));
        Assert.Equal(["timeZone"], FieldsOf(Valid with { TimeZone = "Nowhere/Land" }));
        Assert.Equal(["maxMissedRuns"], FieldsOf(Valid with { MaxMissedRuns = 101 }));
        Assert.Equal(["missedRuns"], FieldsOf(Valid with { MissedRuns = (MissedRunPolicy)7 }));
        Assert.Equal(["overlap"], FieldsOf(Valid with { Overlap = (OverlapPolicy)7 }));
        Assert.Equal(["task.handler"], FieldsOf(Valid with { Task = Valid.Task with { Handler = "" } }));
        Assert.Equal(["task.priority"], FieldsOf(Valid with { Task = Valid.Task with { Priority = 11 } }));
        Assert.Equal(["task.input"], FieldsOf(Valid with { Task = Valid.Task with { Input = "{" } }));
        Assert.Equal(["task"], FieldsOf(Valid with { Task = null! }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has:colon")]
    [InlineData("has space")]
    public void Names_are_letters_digits_dot_underscore_and_dash(string name)
    {
        Assert.Equal(["name"], FieldsOf(Valid, name));
    }

    [Fact]
    public void The_longest_name_still_gives_a_valid_task_id()
    {
        var name = new string('n', ScheduleLimits.MaxNameLength);
        Assert.Empty(FieldsOf(Valid, name));
        Assert.Equal(["name"], FieldsOf(Valid, name + "n"));
        var id = ScheduleLimits.TaskIdFor(name, new DateTimeOffset(2030, 12, 31, 23, 59, 59, TimeSpan.FromHours(2)));
        Assert.True(TaskLimits.IsIdentifier(id), id);
        Assert.EndsWith(":20301231T215959Z", id);
    }

    [Fact]
    public void Normalizing_fills_the_defaults_and_equal_definitions_are_the_same()
    {
        var normalized = ScheduleRules.Normalize(Valid);
        Assert.Equal("UTC", normalized.TimeZone);
        Assert.Equal(ScheduleLimits.DefaultMaxMissedRuns, normalized.MaxMissedRuns);
        Assert.True(ScheduleRules.AreSame(normalized, ScheduleRules.Normalize(Valid with { Task = Valid.Task with { Input = "{ \"a\" : 1 }" } })));
        Assert.False(ScheduleRules.AreSame(normalized, ScheduleRules.Normalize(Valid with { Cron = "*/6 * * * *" })));
        Assert.False(ScheduleRules.AreSame(normalized, ScheduleRules.Normalize(Valid with { Task = Valid.Task with { Tags = ["x"] } })));
    }

    [Fact]
    public void A_change_of_any_member_of_the_definition_or_its_task_is_a_different_schedule()
    {
        // Every member, also those added later: each one listed here, and the list checked against the types' members.
        var normalized = ScheduleRules.Normalize(Valid);
        var definitionChanges = new Dictionary<string, ScheduleDefinition>
        {
            [nameof(ScheduleDefinition.Cron)] = Valid with { Cron = "*/6 * * * *" },
            [nameof(ScheduleDefinition.TimeZone)] = Valid with { TimeZone = "Europe/Berlin" },
            [nameof(ScheduleDefinition.MissedRuns)] = Valid with { MissedRuns = MissedRunPolicy.Skip },
            [nameof(ScheduleDefinition.MaxMissedRuns)] = Valid with { MaxMissedRuns = 7 },
            [nameof(ScheduleDefinition.Overlap)] = Valid with { Overlap = OverlapPolicy.Skip },
        };
        var taskChanges = new Dictionary<string, ScheduleTaskTemplate>
        {
            [nameof(ScheduleTaskTemplate.Name)] = Valid.Task with { Name = "other" },
            [nameof(ScheduleTaskTemplate.Handler)] = Valid.Task with { Handler = "delay" },
            [nameof(ScheduleTaskTemplate.Queue)] = Valid.Task with { Queue = "q2" },
            [nameof(ScheduleTaskTemplate.Priority)] = Valid.Task with { Priority = 9 },
            [nameof(ScheduleTaskTemplate.Tags)] = Valid.Task with { Tags = ["x"] },
            [nameof(ScheduleTaskTemplate.Input)] = Valid.Task with { Input = "{\"a\":2}" },
            [nameof(ScheduleTaskTemplate.MaxAttempts)] = Valid.Task with { MaxAttempts = 3 },
            [nameof(ScheduleTaskTemplate.Timeout)] = Valid.Task with { Timeout = TimeSpan.FromSeconds(5) },
            [nameof(ScheduleTaskTemplate.Retry)] = Valid.Task with { Retry = new RetryPolicy { RetryOn = RetryOn.AllFailures } },
            [nameof(ScheduleTaskTemplate.ConcurrencyKey)] = Valid.Task with { ConcurrencyKey = "k" },
        };

        // Paused is kept apart from the definition (pause and resume), and Task is covered member by member.
        Assert.Equal(
            typeof(ScheduleDefinition).GetProperties().Select(p => p.Name).Except([nameof(ScheduleDefinition.Paused), nameof(ScheduleDefinition.Task), "EqualityContract"]).Order(),
            definitionChanges.Keys.Order());
        Assert.Equal(typeof(ScheduleTaskTemplate).GetProperties().Select(p => p.Name).Except(["EqualityContract"]).Order(), taskChanges.Keys.Order());
        foreach (var (member, changed) in definitionChanges)
        {
            Assert.False(ScheduleRules.AreSame(normalized, ScheduleRules.Normalize(changed)), member);
        }

        foreach (var (member, changed) in taskChanges)
        {
            Assert.False(ScheduleRules.AreSame(normalized, ScheduleRules.Normalize(Valid with { Task = changed })), member);
        }

        // A retry policy equal member by member is the same schedule.
        var withRetry = ScheduleRules.Normalize(Valid with { Task = Valid.Task with { Retry = new RetryPolicy { RetryOn = RetryOn.AllFailures, Jitter = 0 } } });
        Assert.True(ScheduleRules.AreSame(withRetry, ScheduleRules.Normalize(Valid with { Task = Valid.Task with { Retry = new RetryPolicy { RetryOn = RetryOn.AllFailures, Jitter = 0 } } })));
    }
}
