using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Oee.Grains.Contracts;

namespace Oee.Api.Models;

// As for tasks, the attributes describe the contract in the OpenAPI document; the rules are checked
// once, by the orchestrator (ScheduleRules), so the body endpoint opts out of AddValidation.

/// <summary>The body of <c>PUT /api/schedules/{name}</c>: the whole schedule.</summary>
public sealed record PutScheduleBody
{
    /// <summary>A cron expression: five fields (minute hour day-of-month month day-of-week), six with seconds first, or a macro such as @hourly or @every_second.</summary>
    [Required]
    [StringLength(ScheduleLimits.MaxCronLength, MinimumLength = 1)]
    public string? Cron { get; init; }

    /// <summary>The IANA time zone the expression is read in, e.g. Europe/Berlin.</summary>
    [DefaultValue(ScheduleLimits.DefaultTimeZone)]
    public string? TimeZone { get; init; }

    /// <summary>The task each occurrence submits, with the id schedule:{name}:{yyyyMMddTHHmmssZ}.</summary>
    [Required]
    public ScheduleTaskBody? Task { get; init; }

    /// <summary>What to do with occurrences missed while the schedule could not run.</summary>
    [DefaultValue(MissedRunMode.RunOnce)]
    public MissedRunMode? MissedRuns { get; init; }

    /// <summary>With missedRuns runAll: how many of the newest missed occurrences run.</summary>
    [Range(1, ScheduleLimits.MaxMissedRuns)]
    [DefaultValue(ScheduleLimits.DefaultMaxMissedRuns)]
    public int? MaxMissedRuns { get; init; }

    /// <summary>Whether an occurrence runs while the previous run is unfinished.</summary>
    [DefaultValue(OverlapMode.Allow)]
    public OverlapMode? Overlap { get; init; }

    /// <summary>True pauses, false resumes; omitted leaves it as it is (a new schedule runs).</summary>
    public bool? Paused { get; init; }
}

/// <summary>The task a schedule submits: the fields of a submit, without an id.</summary>
public sealed record ScheduleTaskBody
{
    /// <summary>A human-readable name.</summary>
    [Required]
    [StringLength(TaskLimits.MaxNameLength, MinimumLength = 1)]
    public string? Name { get; init; }

    /// <summary>The registered handler that runs the body.</summary>
    [Required]
    [Validation.Identifier]
    public string? Handler { get; init; }

    /// <summary>The queue the tasks wait in.</summary>
    [Validation.Identifier]
    [DefaultValue(TaskLimits.DefaultQueue)]
    public string? Queue { get; init; }

    /// <summary>Higher runs first.</summary>
    [Range(TaskLimits.MinPriority, TaskLimits.MaxPriority)]
    [DefaultValue(TaskLimits.DefaultPriority)]
    public int? Priority { get; init; }

    /// <summary>Labels for filtering, each 1–64 characters of [A-Za-z0-9._:-].</summary>
    [MaxLength(TaskLimits.MaxTags)]
    [ItemPattern(TaskLimits.MaxTagLength)]
    public string[]? Tags { get; init; }

    /// <summary>Any JSON value, the same for every occurrence.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>How many attempts each task may use; the silo's default when omitted.</summary>
    [Range(1, TaskLimits.MaxAttempts)]
    public int? MaxAttempts { get; init; }

    /// <summary>How long each task's body may run: ISO 8601 (PT30S) or [d.]hh:mm:ss, more than zero, at most 365 days; the queue's default when omitted.</summary>
    [Validation.Duration]
    public string? Timeout { get; init; }

    /// <summary>How each task's failed attempts are retried; the queue's default when omitted.</summary>
    public RetryPolicyBody? Retry { get; init; }

    /// <summary>The concurrency key of each task (e.g. a tenant): the queue runs at most its maxPerKey tasks with one key at once.</summary>
    [Validation.Identifier(QueueLimits.MaxConcurrencyKeyLength)]
    public string? ConcurrencyKey { get; init; }
}

/// <summary>The task a schedule submits.</summary>
/// <param name="Name">The task name.</param>
/// <param name="Handler">The handler.</param>
/// <param name="Queue">The queue.</param>
/// <param name="Priority">The priority, when set.</param>
/// <param name="Tags">Labels.</param>
/// <param name="Input">The input: any JSON value, null when none.</param>
/// <param name="MaxAttempts">Attempts each task may use, when set.</param>
/// <param name="Timeout">How long each task's body may run (ISO 8601), when set.</param>
/// <param name="Retry">Each task's retry policy, when set.</param>
/// <param name="ConcurrencyKey">Each task's concurrency key, when set.</param>
public sealed record ScheduleTaskResponse(
    string Name,
    string Handler,
    string? Queue,
    int? Priority,
    IReadOnlyList<string> Tags,
    JsonElement? Input,
    int? MaxAttempts,
    string? Timeout,
    RetryPolicyResponse? Retry,
    string? ConcurrencyKey);

/// <summary>One handled occurrence.</summary>
/// <param name="Occurrence">The occurrence's instant.</param>
/// <param name="Outcome">How it was handled.</param>
/// <param name="TaskId">The task's id when submitted.</param>
/// <param name="HandledAt">When the schedule handled it.</param>
/// <param name="Detail">Why it was skipped or refused.</param>
/// <param name="TaskStatus">The task's status now; null when not submitted or the task is gone.</param>
public sealed record ScheduleRunResponse(
    DateTimeOffset Occurrence,
    ScheduleRunState Outcome,
    string? TaskId,
    DateTimeOffset HandledAt,
    string? Detail,
    TaskState? TaskStatus);

/// <summary>A schedule: its definition, next occurrences and latest runs.</summary>
/// <param name="Name">The schedule's name.</param>
/// <param name="Cron">The cron expression.</param>
/// <param name="TimeZone">The time zone it is read in.</param>
/// <param name="Task">The task each occurrence submits.</param>
/// <param name="MissedRuns">The missed-run policy.</param>
/// <param name="MaxMissedRuns">How many missed occurrences runAll runs.</param>
/// <param name="Overlap">The overlap policy.</param>
/// <param name="Paused">True while paused.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When its definition or pause state last changed.</param>
/// <param name="NextOccurrences">The next (up to 5) occurrences that will run; empty while paused.</param>
/// <param name="HandledThrough">Every occurrence up to this instant has been handled.</param>
/// <param name="MissedSkipped">Occurrences skipped as missed since it was created.</param>
/// <param name="CaughtUp">Missed occurrences that ran anyway (runOnce, runAll) since it was created.</param>
/// <param name="Runs">The latest (up to 20) runs, newest first.</param>
/// <param name="Version">Incremented by every change.</param>
public sealed record ScheduleResponse(
    string Name,
    string Cron,
    string TimeZone,
    ScheduleTaskResponse Task,
    MissedRunMode MissedRuns,
    int MaxMissedRuns,
    OverlapMode Overlap,
    bool Paused,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<DateTimeOffset> NextOccurrences,
    DateTimeOffset HandledThrough,
    long MissedSkipped,
    long CaughtUp,
    IReadOnlyList<ScheduleRunResponse> Runs,
    long Version);
