namespace Oee.Benchmarks.Peers;

/// <summary>
/// The Hangfire job: a static no-op (it only notes its start for latency runs). Hangfire invokes
/// public methods only, hence public.
/// </summary>
public static class HangfireNoOpJob
{
    /// <summary>The job body.</summary>
    public static void Run(int generation, int index) => PeerBodies.Started(generation, index);
}
