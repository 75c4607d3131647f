using Oee.Grains.Contracts;

namespace Oee.Grains.Schedules;

/// <summary>Whether an occurrence is skipped because the previous run is unfinished. Pure.</summary>
internal static class OverlapRule
{
    /// <summary>
    /// True when <paramref name="policy"/> is <see cref="OverlapPolicy.Skip"/> and the previous run's task
    /// exists and is not final. A task that is gone (removed by retention or by hand) counts as finished.
    /// </summary>
    public static bool Skips(OverlapPolicy policy, OeeTaskStatus? previous) =>
        policy == OverlapPolicy.Skip && previous is { } status && !status.IsFinal();
}
