using Quartz;

namespace Oee.Benchmarks.Peers;

/// <summary>A Quartz job listener that counts executed jobs (Quartz's own notification of a finished execution).</summary>
internal sealed class QuartzCompletions : IJobListener
{
    private long executed;

    public string Name => "oee-bench-completions";

    public long Executed => Interlocked.Read(ref executed);

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        if (jobException is null)
        {
            Interlocked.Increment(ref executed);
        }

        return ValueTask.CompletedTask;
    }
}
