using System.Globalization;
using Quartz;

namespace Oee.Benchmarks.Peers;

/// <summary>
/// Quartz.NET 4.7 with the RAMJobStore in the benchmark process: each job is a non-durable
/// <see cref="QuartzNoOpJob"/> with a trigger that fires now. The scheduler acquires as many due
/// triggers per round as it has threads (its in-memory default is 1 per round). Completion is counted
/// by a job listener (<see cref="QuartzCompletions"/>), Quartz's own notification of a finished execution.
/// </summary>
internal sealed class QuartzPeer : IPeer
{
    public const string ModeName = "quartz-ram";

    private readonly IScheduler scheduler;
    private readonly QuartzCompletions completions;
    private long submitted;

    private QuartzPeer(IScheduler scheduler, QuartzCompletions completions, int threads)
    {
        this.scheduler = scheduler;
        this.completions = completions;
        Parameters = new Dictionary<string, string> { ["threads"] = threads.ToString(CultureInfo.InvariantCulture) };
        Description = $"Quartz.NET RAMJobStore, thread pool of {threads}, up to {threads} triggers acquired per round";
    }

    public string Mode => ModeName;

    public string Description { get; }

    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>ScheduleJob is asynchronous: as many callers as the benchmark's concurrency.</summary>
    public int MaxSubmitters => int.MaxValue;

    public TimeSpan CompletionPoll => PeerSettings.MemoryCompletionPoll;

    public static async Task<IPeer> StartAsync(int? threads, CancellationToken cancellationToken)
    {
        var size = threads ?? PeerSettings.QuartzThreads;
        var scheduler = await QuartzSchedulerBuilder.Create(q =>
            {
                q.UseInMemoryStore(_ => { });
                q.UseDefaultThreadPool(size);
            })
            .UseProperties(new Dictionary<string, string?>
            {
                ["quartz.scheduler.instanceName"] = $"oee-bench-{Environment.ProcessId}",
                ["quartz.scheduler.batchTriggerAcquisitionMaxCount"] = size.ToString(CultureInfo.InvariantCulture),
            })
            .BuildScheduler(cancellationToken);
        var completions = new QuartzCompletions();
        scheduler.ListenerManager.AddJobListener(completions, []);
        await scheduler.Start(cancellationToken);
        return new QuartzPeer(scheduler, completions, size);
    }

    public async ValueTask SubmitAsync(int generation, int index, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref submitted).ToString(CultureInfo.InvariantCulture);
        var job = JobBuilder.Create<QuartzNoOpJob>().WithIdentity("j" + n).Build();
        var trigger = TriggerBuilder.Create().WithIdentity("t" + n).StartNow().Build();
        await scheduler.ScheduleJob(job, trigger, cancellationToken: cancellationToken);
    }

    public Task<long> SucceededAsync(CancellationToken cancellationToken) => Task.FromResult(completions.Executed);

    public async ValueTask DisposeAsync() => await scheduler.Shutdown(waitForJobsToComplete: true, CancellationToken.None);
}
