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
}
