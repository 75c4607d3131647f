namespace Oee.Grains.Contracts;

/// <summary>A schedule as it is: its definition, whether it runs, its next occurrences and its latest runs.</summary>
[GenerateSerializer, Alias("oee.schedule-status")]
public sealed record ScheduleStatus
{
    /// <summary>The schedule's name.</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>The definition with its defaults filled in (time zone, maxMissedRuns) and <see cref="ScheduleDefinition.Paused"/> as it is now.</summary>
    [Id(1)] public required ScheduleDefinition Definition { get; init; }

    /// <summary>True while paused: no occurrence runs, and none is caught up on resume.</summary>
    [Id(2)] public bool Paused { get; init; }

    /// <summary>When it was created.</summary>
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its definition or pause state last changed.</summary>
    [Id(4)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The next occurrences that will run (up to 5), empty while paused.</summary>
    [Id(5)] public DateTimeOffset[] NextOccurrences { get; init; } = [];

    /// <summary>Every occurrence up to this instant has been handled (run, skipped or missed).</summary>
    [Id(6)] public DateTimeOffset HandledThrough { get; init; }

    /// <summary>The latest runs (up to 20), newest first.</summary>
    [Id(7)] public ScheduleRun[] Runs { get; init; } = [];

    /// <summary>Occurrences skipped as missed (per <see cref="ScheduleDefinition.MissedRuns"/>), since the schedule was created.</summary>
    [Id(8)] public long MissedSkipped { get; init; }

    /// <summary>Incremented by every change of the schedule's stored state.</summary>
    [Id(9)] public long Version { get; init; }

    /// <summary>Missed occurrences that ran anyway (per <see cref="ScheduleDefinition.MissedRuns"/>), since the schedule was created.</summary>
    [Id(10)] public long CaughtUp { get; init; }
}

/// <summary>How an occurrence was handled.</summary>
[GenerateSerializer, Alias("oee.schedule-run-outcome")]
public enum ScheduleRunOutcome
{
    /// <summary>Its task was submitted (or had been, by an earlier try: the id is deterministic).</summary>
    Submitted = 0,

    /// <summary>Skipped by <see cref="OverlapPolicy.Skip"/>: the previous run was unfinished.</summary>
    SkippedOverlap = 1,

    /// <summary>The task was refused (e.g. its handler is no longer registered); <see cref="ScheduleRun.Detail"/> says why.</summary>
    Refused = 2,
}

/// <summary>One handled occurrence of a schedule.</summary>
[GenerateSerializer, Alias("oee.schedule-run")]
public sealed record ScheduleRun
{
    /// <summary>The occurrence's instant.</summary>
    [Id(0)] public DateTimeOffset Occurrence { get; init; }

    /// <summary>How it was handled.</summary>
    [Id(1)] public ScheduleRunOutcome Outcome { get; init; }

    /// <summary>The task's id (<c>schedule:{name}:{yyyyMMddTHHmmssZ}</c>) when submitted.</summary>
    [Id(2)] public string? TaskId { get; init; }

    /// <summary>When the schedule handled it (its lateness is this minus <see cref="Occurrence"/>).</summary>
    [Id(3)] public DateTimeOffset HandledAt { get; init; }

    /// <summary>Why it was skipped or refused.</summary>
    [Id(4)] public string? Detail { get; init; }

    /// <summary>The task's status when the schedule was read; null when not submitted or the task is gone (e.g. removed by retention).</summary>
    [Id(5)] public OeeTaskStatus? TaskStatus { get; init; }
}
