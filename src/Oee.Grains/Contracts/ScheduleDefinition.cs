namespace Oee.Grains.Contracts;

/// <summary>What a schedule is: when (a cron expression in a time zone), what (a task template) and its policies.</summary>
[GenerateSerializer, Alias("oee.schedule-definition")]
public sealed record ScheduleDefinition
{
    /// <summary>
    /// A cron expression as Cronos reads it: five fields (minute hour day-of-month month day-of-week),
    /// or six with seconds first; or a macro such as <c>@hourly</c> or <c>@every_second</c>.
    /// </summary>
    [Id(0)] public string Cron { get; init; } = "";

    /// <summary>The time zone the expression's fields are read in: an IANA id such as <c>Europe/Berlin</c>; UTC when omitted.</summary>
    [Id(1)] public string? TimeZone { get; init; }

    /// <summary>The task each occurrence submits.</summary>
    [Id(2)] public ScheduleTaskTemplate Task { get; init; } = new();

    /// <summary>What to do with occurrences missed while the schedule could not run; <see cref="MissedRunPolicy.RunOnce"/> by default.</summary>
    [Id(3)] public MissedRunPolicy MissedRuns { get; init; } = MissedRunPolicy.RunOnce;

    /// <summary>With <see cref="MissedRunPolicy.RunAll"/>: the most missed occurrences run (1–100); 10 when omitted.</summary>
    [Id(4)] public int? MaxMissedRuns { get; init; }

    /// <summary>Whether an occurrence runs while the previous run is unfinished; <see cref="OverlapPolicy.Allow"/> by default.</summary>
    [Id(5)] public OverlapPolicy Overlap { get; init; } = OverlapPolicy.Allow;

    /// <summary>True to create or keep the schedule paused, false to resume it; null leaves it as it is (a new schedule runs).</summary>
    [Id(6)] public bool? Paused { get; init; }
}
