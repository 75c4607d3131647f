namespace Oee.Grains.Contracts;

/// <summary>
/// What a schedule does with occurrences it missed (the cluster was down, the schedule's silo died,
/// its database was unavailable): those older than <c>Oee:Schedules:MisfireThreshold</c> when the
/// schedule gets to them. Occurrences within the threshold are late, not missed, and always run.
/// </summary>
[GenerateSerializer, Alias("oee.missed-run-policy")]
public enum MissedRunPolicy
{
    /// <summary>Run none of them; the schedule goes on with its next occurrence.</summary>
    Skip = 0,

    /// <summary>Run the newest missed occurrence once (the default); the older ones are skipped.</summary>
    RunOnce = 1,

    /// <summary>Run the newest <see cref="ScheduleDefinition.MaxMissedRuns"/> missed occurrences, oldest first; older ones are skipped.</summary>
    RunAll = 2,
}

/// <summary>What a schedule does when an occurrence comes while its previous run is unfinished.</summary>
[GenerateSerializer, Alias("oee.overlap-policy")]
public enum OverlapPolicy
{
    /// <summary>Submit it anyway (the default): runs may overlap, subject to their queue's limits.</summary>
    Allow = 0,

    /// <summary>Skip the occurrence while the task of the previous run is not final (queued, running, ...); it is listed as skipped.</summary>
    Skip = 1,
}
