using Oee.Grains.Contracts;
using Oee.Grains.Tasks;

namespace Oee.Grains.Schedules;

/// <summary>
/// The checks of a schedule's name and definition, each error naming its field: the cron expression,
/// the time zone, the policies, and the task template (by the submit rules, under <c>task.</c>).
/// Shared by the client facade (field rules only) and the schedule grain (which also knows the handlers).
/// </summary>
internal static class ScheduleRules
{
    /// <summary>The error of a bad name, or null.</summary>
    public static FieldError? CheckName(string? name) => ScheduleLimits.IsName(name)
        ? null
        : new FieldError("name", $"A schedule name must be 1–{ScheduleLimits.MaxNameLength} characters of [A-Za-z0-9._-].");

    /// <summary>Every field error of the definition under the submit policy <paramref name="submit"/> (empty when valid).</summary>
    public static IReadOnlyList<FieldError> Check(string name, ScheduleDefinition? definition, SubmitPolicy submit)
    {
        if (definition is null)
        {
            return [new FieldError("body", "The schedule is missing.")];
        }

        var errors = new List<FieldError>();
        if (CheckName(name) is { } nameError)
        {
            errors.Add(nameError);
        }

        if (!CronSchedule.TryParseCron(definition.Cron, name, out _, out var cronError))
        {
            errors.Add(new FieldError("cron", cronError));
        }

        if (!CronSchedule.TryFindZone(definition.TimeZone, out _, out var zoneError))
        {
            errors.Add(new FieldError("timeZone", zoneError));
        }

        if (!Enum.IsDefined(definition.MissedRuns))
        {
            errors.Add(new FieldError("missedRuns", "MissedRuns must be skip, runOnce or runAll."));
        }

        if (definition.MaxMissedRuns is < 1 or > ScheduleLimits.MaxMissedRuns)
        {
            errors.Add(new FieldError("maxMissedRuns", $"MaxMissedRuns must be a whole number from 1 to {ScheduleLimits.MaxMissedRuns}."));
        }

        if (!Enum.IsDefined(definition.Overlap))
        {
            errors.Add(new FieldError("overlap", "Overlap must be allow or skip."));
        }

        if (definition.Task is null)
        {
            errors.Add(new FieldError("task", "The task template is required: {name, handler, ...} as for a submit, without an id."));
        }
        else
        {
            // A sample id: the template's other fields are checked exactly as a submit's.
            errors.AddRange(submit.Check(definition.Task.ToRequest(taskId: null)).Select(e => e with { Field = "task." + e.Field }));
        }

        return errors;
    }

    /// <summary>The definition as stored: defaults filled in, pause state apart.</summary>
    public static ScheduleDefinition Normalize(ScheduleDefinition definition) => definition with
    {
        Cron = definition.Cron.Trim(),
        TimeZone = definition.TimeZone ?? ScheduleLimits.DefaultTimeZone,
        MaxMissedRuns = definition.MaxMissedRuns ?? ScheduleLimits.DefaultMaxMissedRuns,
        Paused = null,
        Task = definition.Task with { Tags = definition.Task.Tags is { Length: > 0 } tags ? [.. tags] : null },
    };

    /// <summary>
    /// True when two normalized definitions ask for the same schedule (inputs compared as JSON): every member of the
    /// definition and of its task template counts (a member left out here would make a changed definition answer
    /// unchanged and be dropped; ScheduleRulesTests changes each member in turn).
    /// </summary>
    public static bool AreSame(ScheduleDefinition left, ScheduleDefinition right) =>
        left.Cron == right.Cron
        && left.TimeZone == right.TimeZone
        && left.MissedRuns == right.MissedRuns
        && left.MaxMissedRuns == right.MaxMissedRuns
        && left.Overlap == right.Overlap
        && left.Task.Name == right.Task.Name
        && left.Task.Handler == right.Task.Handler
        && left.Task.Queue == right.Task.Queue
        && left.Task.Priority == right.Task.Priority
        && left.Task.MaxAttempts == right.Task.MaxAttempts
        && left.Task.Timeout == right.Task.Timeout
        && Equals(left.Task.Retry, right.Task.Retry)
        && left.Task.ConcurrencyKey == right.Task.ConcurrencyKey
        && (left.Task.Tags ?? []).SequenceEqual(right.Task.Tags ?? [], StringComparer.Ordinal)
        && JsonText.AreEquivalent(left.Task.Input, right.Task.Input);
}
