namespace Oee.Benchmarks.Peers;

/// <summary>
/// Where the peers' no-op bodies note when they started, for latency runs (same process, same
/// wall clock as the moment the benchmark sent the submit, as for OEE's <c>startedAt</c>).
/// One run at a time: <see cref="Arm"/> starts a generation, bodies of other generations are ignored.
/// </summary>
internal static class PeerBodies
{
    private static int generation;
    private static DateTimeOffset[] started = [];

    /// <summary>Starts a run of <paramref name="count"/> jobs; returns its generation, which the jobs carry.</summary>
    public static int Arm(int count)
    {
        Volatile.Write(ref started, new DateTimeOffset[count]);
        return Interlocked.Increment(ref generation);
    }

    /// <summary>Called first thing in a body: notes the time for job <paramref name="index"/> of run <paramref name="run"/>.</summary>
    public static void Started(int run, int index)
    {
        if (index < 0 || run != Volatile.Read(ref generation))
        {
            return;
        }

        var times = Volatile.Read(ref started);
        if (index < times.Length)
        {
            times[index] = DateTimeOffset.UtcNow;
        }
    }

    /// <summary>The start times of the current run, by job index (default where a body did not run).</summary>
    public static IReadOnlyList<DateTimeOffset> Collect() => Volatile.Read(ref started);
}
