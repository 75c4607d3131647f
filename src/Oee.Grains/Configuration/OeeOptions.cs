namespace Oee.Grains.Configuration;

/// <summary>Engine settings, bound from the <c>Oee</c> configuration section and validated at start.</summary>
public sealed class OeeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee";

    /// <summary>How many tasks of one queue run at once unless the queue is configured otherwise. Default 3 (the original worker pool's size).</summary>
    public int DefaultMaxConcurrency { get; set; } = 3;

    /// <summary>How many bodies one silo runs at once, over all queues; adding a silo adds this many. Default 100, at most <see cref="MaxWorkerSlotsPerSilo"/>.</summary>
    public int WorkerSlotsPerSilo { get; set; } = 100;

    /// <summary>The most worker slots one silo may have (a million bodies at once is no limit in practice; sums over silos stay integers).</summary>
    public const int MaxWorkerSlotsPerSilo = 1_000_000;

    /// <summary>
    /// Keep each queue's dispatch within the cluster's worker slots and half as many again (active silos ×
    /// <see cref="WorkerSlotsPerSilo"/> × 1.5, each silo's count as it announces it): a queue whose
    /// <c>maxConcurrency</c> is higher dispatches its backlog no further, so that its tasks wait in the queue, in
    /// priority order, rather than on their silos holding activations (a task enqueueing itself while nothing else
    /// waits still starts at once). The queues living on one silo share that bound, counted per priority, with a fair
    /// share each past it up to twice the bound (<c>Queues/DispatchBudget</c>). Default true; false dispatches up to
    /// <c>maxConcurrency</c> whatever the slots.
    /// </summary>
    public bool DispatchWithinSlots { get; set; } = true;

    /// <summary>The largest task input accepted, in UTF-8 bytes of JSON. Default 1 MiB.</summary>
    public int MaxInputBytes { get; set; } = 1024 * 1024;

    /// <summary>How many attempts a task may use when its submit does not say (an attempt lost with its silo counts). Default 3.</summary>
    public int DefaultMaxAttempts { get; set; } = 3;

    /// <summary>How often a queue checks that its running tasks are still alive, restarting those whose silo died. Default 10 s.</summary>
    public TimeSpan LeaseCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>On graceful shutdown, how long running bodies may take to finish before they are stopped and handed back to their queue. Default 20 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>After the drain time, how long a body whose token was cancelled may take to stop before its task's deactivation goes on without it. Default 10 s.</summary>
    public TimeSpan DrainCancelGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After a task's timeout cancelled its body's token, how long the engine waits for the body to stop
    /// before it abandons it (ends the attempt as timed out, frees its slot, counts it). Default 30 s.
    /// </summary>
    public TimeSpan TimeoutGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a queue waits before trying again to start a task it could not reach. Default 1 s.</summary>
    public TimeSpan DispatchRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a queue keeps an entry whose task answers that it does not exist before dropping it.
    /// A dispatch can reach a fresh activation of a task whose submit is still persisting in another
    /// (a grain directory change during a rolling restart); within this time the queue tries again
    /// every <see cref="DispatchRetryDelay"/>. An entry whose submit really failed is dropped after it. Default 1 minute.
    /// </summary>
    public TimeSpan UnknownTaskGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Durable mode: the period of the reminder that wakes a queue holding work after its silo died,
    /// and of the reminder of a queue's scheduled tasks (first tick at the earliest due time).
    /// Orleans reminders: at least 1 minute. Default 1 minute.
    /// </summary>
    public TimeSpan QueueWakePeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long the system status waits for a silo's answer before reporting it unreachable, and a
    /// lease check for a silo's answer whether it still runs a task's attempt (no answer: asked again
    /// at the next check). Default 2 s.
    /// </summary>
    public TimeSpan SiloStatusTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How many shard grains hold the task records (and so the index) in memory mode. Default 4; fixed for a cluster's
    /// life. Each silo's writes to one shard go together (one call carries what gathered while the previous one was
    /// under way), so fewer shards mean fuller calls: on one silo 4 drained 1.05-1.08x the tasks/s of 8, and 2 1.02x
    /// those of 4 (docs/BENCHMARKS.md, session 17), while 4 still spread the index over up to four silos.
    /// </summary>
    public int IndexShards { get; set; } = 4;

    /// <summary>How many finished tasks one clean-up round takes from each index shard. Default 1000.</summary>
    public int ClearBatchSize { get; set; } = 1000;

    /// <summary>
    /// How often the dependency sweep asks every task waiting longer than this for its dependencies'
    /// status, making good a finish message that a dead silo lost. Default 1 minute.
    /// </summary>
    public TimeSpan DependencyRecheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The longest a finished task's leave (which frees its slot) waits to ride on the next enqueue its
    /// silo sends to the same queue, before it goes in a leave call of its own with whatever else
    /// gathered. Not while the queue last said that tasks wait to start, nor for a cancelled task: then a
    /// leave goes at once. A wait of the transport on the system clock, not an engine time rule (a fake
    /// engine clock does not hold it). Zero (the default): every leave goes at once, and rides only when
    /// it gathered while a call to its queue was under way. Off by default because with 2 ms a later
    /// enqueue into a paused queue ran at ~0.8x (docs/BENCHMARKS.md, session 10), not yet explained.
    /// </summary>
    public TimeSpan QueueLeaveLinger { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The memory a silo may spend keeping the activations of tasks that wait for their dependencies, so that
    /// a dependency that finishes soon finds its dependents active (no new activation, no read of their record)
    /// instead of each being activated again. Each kept task is charged an estimate: 4 KiB plus twice its input's
    /// length. A task that does not fit lets its activation go, as every waiting task does with 0. Default 32 MiB.
    /// </summary>
    public long WaitingTaskHoldBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// How long a waiting task's activation is kept (<see cref="WaitingTaskHoldBytes"/>) before it goes if its
    /// dependencies have not finished. A wait of the runtime on the system clock, not an engine time rule.
    /// Default 30 seconds.
    /// </summary>
    public TimeSpan WaitingTaskHoldTime { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Checks <see cref="OeeOptions"/> at start.</summary>
internal sealed class OeeOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<OeeOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, OeeOptions options)
    {
        var failures = new List<string>();
        if (options.DefaultMaxConcurrency < 1)
        {
            failures.Add($"Oee:DefaultMaxConcurrency must be at least 1 (was {options.DefaultMaxConcurrency}).");
        }

        if (options.WorkerSlotsPerSilo is < 1 or > OeeOptions.MaxWorkerSlotsPerSilo)
        {
            failures.Add($"Oee:WorkerSlotsPerSilo must be between 1 and {OeeOptions.MaxWorkerSlotsPerSilo} (was {options.WorkerSlotsPerSilo}).");
        }

        if (options.MaxInputBytes is < 2 or > 64 * 1024 * 1024)
        {
            failures.Add($"Oee:MaxInputBytes must be from 2 to 67108864 (was {options.MaxInputBytes}).");
        }

        if (options.DefaultMaxAttempts is < 1 or > 100)
        {
            failures.Add($"Oee:DefaultMaxAttempts must be from 1 to 100 (was {options.DefaultMaxAttempts}).");
        }

        if (options.LeaseCheckInterval < TimeSpan.FromMilliseconds(100) || options.LeaseCheckInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Oee:LeaseCheckInterval must be from 00:00:00.1 to 00:10:00 (was {options.LeaseCheckInterval}).");
        }

        if (options.DrainTimeout < TimeSpan.Zero || options.DrainTimeout > TimeSpan.FromMinutes(30))
        {
            failures.Add($"Oee:DrainTimeout must be from 00:00:00 to 00:30:00 (was {options.DrainTimeout}).");
        }

        Between(failures, "DrainCancelGrace", options.DrainCancelGrace, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        Between(failures, "TimeoutGrace", options.TimeoutGrace, TimeSpan.Zero, TimeSpan.FromHours(1));
        Between(failures, "DispatchRetryDelay", options.DispatchRetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        Between(failures, "UnknownTaskGrace", options.UnknownTaskGrace, TimeSpan.Zero, TimeSpan.FromHours(1));
        Between(failures, "QueueWakePeriod", options.QueueWakePeriod, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        Between(failures, "DependencyRecheckInterval", options.DependencyRecheckInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Between(failures, "QueueLeaveLinger", options.QueueLeaveLinger, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Between(failures, "SiloStatusTimeout", options.SiloStatusTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));

        Between(failures, "WaitingTaskHoldTime", options.WaitingTaskHoldTime, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        if (options.WaitingTaskHoldBytes is < 0 or > 64L * 1024 * 1024 * 1024)
        {
            failures.Add($"Oee:WaitingTaskHoldBytes must be from 0 to 68719476736 (64 GiB; was {options.WaitingTaskHoldBytes}).");
        }

        if (options.IndexShards is < 1 or > 1024)
        {
            failures.Add($"Oee:IndexShards must be from 1 to 1024 (was {options.IndexShards}).");
        }

        if (options.ClearBatchSize is < 1 or > 100_000)
        {
            failures.Add($"Oee:ClearBatchSize must be from 1 to 100000 (was {options.ClearBatchSize}).");
        }

        return failures.Count == 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(failures);
    }

    private static void Between(List<string> failures, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"Oee:{name} must be from {min:c} to {max:c} (was {value:c}).");
        }
    }
}
