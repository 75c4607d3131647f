namespace Oee.Benchmarks.Load;

/// <summary>What an open-loop run sent, submit by submit (index i is the i-th send).</summary>
/// <param name="Elapsed">From the first send until the last send (not its answer).</param>
/// <param name="Ids">The task id each submit returned.</param>
/// <param name="SentAt">The wall-clock time just before each submit call.</param>
/// <param name="SubmitCallMs">Each submit call's round trip as the caller saw it, ms.</param>
internal sealed record OpenLoopResult(TimeSpan Elapsed, string[] Ids, DateTimeOffset[] SentAt, double[] SubmitCallMs)
{
    public int Submitted => Ids.Length;

    /// <summary>The rate actually achieved, tasks/s.</summary>
    public double AchievedRate => Elapsed.TotalSeconds > 0 ? (Submitted - 1) / Elapsed.TotalSeconds : double.NaN;
}
