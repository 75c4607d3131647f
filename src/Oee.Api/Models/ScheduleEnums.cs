using System.Text.Json.Serialization;

namespace Oee.Api.Models;

/// <summary>What a schedule does with occurrences missed while it could not run (older than the misfire threshold, 5 s by default).</summary>
[JsonConverter(typeof(WireEnumConverter<MissedRunMode>))]
public enum MissedRunMode
{
    /// <summary>Run none of them.</summary>
    [JsonStringEnumMemberName("skip")]
    Skip,

    /// <summary>Run the newest missed occurrence once (the default).</summary>
    [JsonStringEnumMemberName("runOnce")]
    RunOnce,

    /// <summary>Run the newest maxMissedRuns missed occurrences, oldest first.</summary>
    [JsonStringEnumMemberName("runAll")]
    RunAll,
}

/// <summary>Whether an occurrence runs while the previous run's task is unfinished.</summary>
[JsonConverter(typeof(WireEnumConverter<OverlapMode>))]
public enum OverlapMode
{
    /// <summary>Submit it anyway (the default).</summary>
    [JsonStringEnumMemberName("allow")]
    Allow,

    /// <summary>Skip it while the previous run's task is not final.</summary>
    [JsonStringEnumMemberName("skip")]
    Skip,
}

/// <summary>How an occurrence was handled.</summary>
[JsonConverter(typeof(WireEnumConverter<ScheduleRunState>))]
public enum ScheduleRunState
{
    /// <summary>Its task was submitted.</summary>
    [JsonStringEnumMemberName("submitted")]
    Submitted,

    /// <summary>Skipped: the previous run was unfinished (overlap skip).</summary>
    [JsonStringEnumMemberName("skippedOverlap")]
    SkippedOverlap,

    /// <summary>The task was refused (e.g. its handler is gone); detail says why.</summary>
    [JsonStringEnumMemberName("refused")]
    Refused,
}
