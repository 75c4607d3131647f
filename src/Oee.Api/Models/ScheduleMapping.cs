using System.Text.Json;
using Oee.Grains.Contracts;

namespace Oee.Api.Models;

/// <summary>Maps schedules between HTTP models and grain contracts.</summary>
internal static class ScheduleMapping
{
    /// <summary>The definition of a schedule body; durations that are not durations throw <see cref="Oee.Grains.Client.OeeValidationException"/> naming the field.</summary>
    public static ScheduleDefinition ToDefinition(this PutScheduleBody body)
    {
        var errors = new List<FieldError>();
        var timeout = ModelMapping.ToDuration(body.Task?.Timeout, "task.timeout", errors);
        var retry = body.Task?.Retry?.ToPolicy("task.retry.", errors);
        if (errors.Count > 0)
        {
            throw new Oee.Grains.Client.OeeValidationException(errors);
        }

        return body.ToDefinition(timeout, retry);
    }

    private static ScheduleDefinition ToDefinition(this PutScheduleBody body, TimeSpan? timeout, RetryPolicy? retry) => new()
    {
        Cron = body.Cron ?? "",
        TimeZone = body.TimeZone,
        Task = body.Task is { } task
            ? new ScheduleTaskTemplate
            {
                Name = task.Name ?? "",
                Handler = task.Handler ?? "",
                Queue = task.Queue,
                Priority = task.Priority,
                Tags = task.Tags,
                Input = task.Input is { ValueKind: not JsonValueKind.Null } input ? input.GetRawText() : null,
                MaxAttempts = task.MaxAttempts,
                Timeout = timeout,
                Retry = retry,
                ConcurrencyKey = task.ConcurrencyKey,
            }
            : null!,
        MissedRuns = body.MissedRuns switch
        {
            MissedRunMode.Skip => MissedRunPolicy.Skip,
            MissedRunMode.RunAll => MissedRunPolicy.RunAll,
            _ => MissedRunPolicy.RunOnce,
        },
        MaxMissedRuns = body.MaxMissedRuns,
        Overlap = body.Overlap == OverlapMode.Skip ? OverlapPolicy.Skip : OverlapPolicy.Allow,
        Paused = body.Paused,
    };

    public static ScheduleResponse ToResponse(this ScheduleStatus schedule)
    {
        var definition = schedule.Definition;
        var task = definition.Task;
        return new ScheduleResponse(
            schedule.Name,
            definition.Cron,
            definition.TimeZone ?? ScheduleLimits.DefaultTimeZone,
            new ScheduleTaskResponse(task.Name, task.Handler, task.Queue, task.Priority, task.Tags ?? [], ToJson(task.Input), task.MaxAttempts, ModelMapping.ToText(task.Timeout), task.Retry?.ToResponse(), task.ConcurrencyKey),
            definition.MissedRuns switch
            {
                MissedRunPolicy.Skip => MissedRunMode.Skip,
                MissedRunPolicy.RunAll => MissedRunMode.RunAll,
                _ => MissedRunMode.RunOnce,
            },
            definition.MaxMissedRuns ?? ScheduleLimits.DefaultMaxMissedRuns,
            definition.Overlap == OverlapPolicy.Skip ? OverlapMode.Skip : OverlapMode.Allow,
            schedule.Paused,
            schedule.CreatedAt,
            schedule.UpdatedAt,
            schedule.NextOccurrences,
            schedule.HandledThrough,
            schedule.MissedSkipped,
            schedule.CaughtUp,
            [.. schedule.Runs.Select(ToResponse)],
            schedule.Version);
    }

    private static ScheduleRunResponse ToResponse(ScheduleRun run) => new(
        run.Occurrence,
        run.Outcome switch
        {
            ScheduleRunOutcome.SkippedOverlap => ScheduleRunState.SkippedOverlap,
            ScheduleRunOutcome.Refused => ScheduleRunState.Refused,
            _ => ScheduleRunState.Submitted,
        },
        run.TaskId,
        run.HandledAt,
        run.Detail,
        run.TaskStatus?.ToState());

    private static JsonElement? ToJson(string? text)
    {
        if (text is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
