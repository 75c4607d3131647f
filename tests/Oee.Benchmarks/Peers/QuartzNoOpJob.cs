using Quartz;

namespace Oee.Benchmarks.Peers;

/// <summary>The Quartz job: a no-op.</summary>
internal sealed class QuartzNoOpJob : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
