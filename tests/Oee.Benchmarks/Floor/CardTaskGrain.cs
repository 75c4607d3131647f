using Microsoft.Extensions.Logging;
using Oee.Grains.Cluster;
using Orleans.Placement;

namespace Oee.Benchmarks.Floor;

/// <summary>
/// The card floor's TaskGrain: a new activation per task, placed at random as OEE's TaskGrain is; it
/// owns its status (new, queued, running, done; in memory only), enters its queue at submit, runs its
/// body through the stateless worker once the queue starts it (at once, or by a start sent later),
/// leaves its queue (<see cref="CardLeaves"/>) and deactivates. No storage, records, events, metrics
/// or logs besides a failure's.
/// </summary>
[RandomPlacement]
internal sealed partial class CardTaskGrain(CardLeaves leaves, ILogger<CardTaskGrain> logger) : Grain, ICardTaskGrain
{
    private Status status;
    private string? id;
    private string? queue;
    private string? input;
    private long sequence;

    private enum Status
    {
        New,
        Queued,
        Running,
        Done,
    }

    async Task<long> ICardTaskGrain.Submit(string queue, int priority, string input)
    {
        if (status != Status.New)
        {
            return sequence;
        }

        id = this.GetPrimaryKeyString();
        (this.queue, this.input, status) = (queue, input, Status.Queued);
        var entry = await GrainFactory.Reference<ICardQueueGrain>(queue).Enter(id, priority);
        sequence = entry.Sequence;
        if (entry.StartNow)
        {
            // Runs on after the submit's answer, as an OEE task's attempt does.
            _ = Run();
        }

        return sequence;
    }

    Task ICardTaskGrain.Start()
    {
        if (status == Status.Queued)
        {
            _ = Run();
        }

        return Task.CompletedTask;
    }

    private async Task Run()
    {
        status = Status.Running;
        try
        {
            var output = await GrainFactory.Reference<ICardWorkerGrain>(0).Run(input!);
            if (output != input)
            {
                throw new InvalidOperationException($"The card floor's worker answered '{output}' for '{input}'.");
            }
        }
        catch (Exception ex)
        {
            // Not counted finished: the drain stalls and says so.
            LogBodyFailed(logger, ex, id!);
            DeactivateOnIdle();
            return;
        }

        status = Status.Done;
        leaves.Leave(queue!, id!);
        DeactivateOnIdle();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Card floor task {TaskId}: its body could not be run through the worker")]
    private static partial void LogBodyFailed(ILogger logger, Exception exception, string taskId);
}
