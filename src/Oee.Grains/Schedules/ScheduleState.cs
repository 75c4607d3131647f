using Oee.Grains.Contracts;

namespace Oee.Grains.Schedules;

/// <summary>The durable state of one schedule: its definition and its progress (written at every change and every handled occurrence).</summary>
[GenerateSerializer, Alias("oee.schedule-state")]
internal sealed class ScheduleState
{
    /// <summary>The normalized definition; null when no schedule has this name.</summary>
    [Id(0)] public ScheduleDefinition? Definition { get; set; }

    [Id(1)] public bool Paused { get; set; }

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    [Id(3)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Every occurrence at or before this instant has been handled.</summary>
    [Id(4)] public DateTimeOffset Anchor { get; set; }

    /// <summary>The latest runs, newest first (at most <see cref="ScheduleLimits.RecentRuns"/>).</summary>
    [Id(5)] public List<ScheduleRun> Runs { get; set; } = [];

    [Id(6)] public long MissedSkipped { get; set; }

    [Id(7)] public long Version { get; set; }

    /// <summary>The task of the latest submitted run: what the overlap policy looks at.</summary>
    [Id(8)] public string? LastTaskId { get; set; }

    [Id(9)] public long CaughtUp { get; set; }

    /// <summary>A copy to restore when a change cannot be stored.</summary>
    public ScheduleState Copy() => new()
    {
        Definition = Definition,
        Paused = Paused,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        Anchor = Anchor,
        Runs = [.. Runs],
        MissedSkipped = MissedSkipped,
        Version = Version,
        LastTaskId = LastTaskId,
        CaughtUp = CaughtUp,
    };
}
