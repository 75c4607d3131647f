using Microsoft.Extensions.Logging;
using Oee.Grains.Cluster;
using Oee.Grains.Contracts;
using Oee.Grains.Queues;

namespace Oee.Grains.Tasks;

/// <summary>
/// Fans a batch out to its task grains from the silo that received it (a stateless worker runs
/// where it is called), so that a client sends one message instead of one per task. The tasks are
/// submitted concurrently, but each queue first reserves a block of sequence numbers for the
/// batch's tasks in it, so that they keep their batch order among equal priorities. One task's
/// failure is that task's answer, never the batch's.
/// A batch may be a dependency graph (tasks whose <c>dependsOn</c> names other tasks of the batch):
/// a cycle refuses the whole batch; otherwise the tasks go in layers (<see cref="BatchGraph.Layers"/>),
/// each layer after the one it depends on, and each dependency of a layer first learns all its
/// dependents of the batch in one call (one write instead of one per dependent). A task whose batch
/// dependency was not accepted is answered invalid. Ids the caller has just generated are submitted as new
/// (their activations read nothing), and receipts are answered without the tasks, as single submits are.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
internal sealed partial class BatchSubmitGrain(ILogger<BatchSubmitGrain> logger) : Grain, IBatchSubmitGrain
{
    private const int RegisterParallelism = 64;

    Task<BatchItemResult[]> IBatchSubmitGrain.Submit(SubmitTaskRequest[] requests, CancellationToken cancellationToken) =>
        Submit(requests, newIds: null, receipts: false);

    Task<BatchItemResult[]> IBatchSubmitGrain.Submit(SubmitTaskRequest[] requests, bool[] newIds, bool receipts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newIds);
        if (newIds.Length != requests.Length)
        {
            throw new ArgumentException($"newIds needs one entry per request ({requests.Length}); it has {newIds.Length}.", nameof(newIds));
        }

        return Submit(requests, newIds, receipts);
    }

    /// <summary>The batch; <paramref name="newIds"/> (null: none) marks the ids their caller has just generated.</summary>
    private async Task<BatchItemResult[]> Submit(SubmitTaskRequest[] requests, bool[]? newIds, bool receipts)
    {
        if (requests.Any(r => r.Id is null))
        {
            throw new ArgumentException("Every request of a batch needs its id; submit through IOrchestrator.SubmitBatchAsync, which gives them.", nameof(requests));
        }

        if (BatchGraph.FindCycle(requests) is { } cycle)
        {
            // Nothing is submitted: the whole graph is refused.
            return [.. requests.Select(r => new BatchItemResult { Id = r.Id!, Status = SubmitStatus.Invalid, Errors = [cycle] })];
        }

        var sequences = new long?[requests.Length];
        var failures = new string?[requests.Length];
        var byQueue = Enumerable.Range(0, requests.Length).GroupBy(i => SubmitPolicy.QueueOf(requests[i]), StringComparer.Ordinal);
        await Task.WhenAll(byQueue.Select(queue => Reserve(queue.Key, [.. queue], sequences, failures)));

        var layers = BatchGraph.Layers(requests);
        var batchIds = requests.Select(r => r.Id!).ToHashSet(StringComparer.Ordinal);
        var accepted = new HashSet<string>(StringComparer.Ordinal);
        var results = new BatchItemResult[requests.Length];
        for (var layer = 0; layer <= layers.DefaultIfEmpty(0).Max(); layer++)
        {
            var indexes = Enumerable.Range(0, requests.Length).Where(i => layers[i] == layer).ToArray();
            var ready = new List<int>();
            foreach (var i in indexes)
            {
                var refused = requests[i].DependsOn?.FirstOrDefault(d => batchIds.Contains(d) && !accepted.Contains(d));
                if (failures[i] is { } failure)
                {
                    results[i] = BatchItemResult.Failed(requests[i].Id!, failure);
                }
                else if (refused is not null)
                {
                    results[i] = new BatchItemResult
                    {
                        Id = requests[i].Id!,
                        Status = SubmitStatus.Invalid,
                        Errors = [new FieldError("dependsOn", $"Task '{refused}' of this batch was not accepted (see its own result), so no task can depend on it.")],
                    };
                }
                else
                {
                    ready.Add(i);
                }
            }

            await RegisterInBulk([.. ready.Select(i => requests[i])]);
            var submitted = await Task.WhenAll(ready.Select(i => SubmitOne(requests[i], sequences[i]!.Value, newIds?[i] ?? false, receipts)));
            for (var k = 0; k < ready.Count; k++)
            {
                results[ready[k]] = submitted[k];
                if (submitted[k].Status is SubmitStatus.Created or SubmitStatus.Existing)
                {
                    accepted.Add(submitted[k].Id);
                }
            }
        }

        return results;
    }

    /// <summary>Gives the queue's tasks of the batch consecutive sequence numbers, in batch order.</summary>
    private async Task Reserve(string queue, int[] indexes, long?[] sequences, string?[] failures)
    {
        try
        {
            var first = await GrainFactory.Reference<IQueueEngineGrain>(queue).Reserve(indexes.Length);
            for (var k = 0; k < indexes.Length; k++)
            {
                sequences[indexes[k]] = first + k;
            }
        }
        catch (Exception ex)
        {
            LogReserveFailed(logger, ex, queue, indexes.Length);
            foreach (var i in indexes)
            {
                failures[i] = $"Queue '{queue}' could not reserve places for the batch: {ex.Message}";
            }
        }
    }

    /// <summary>
    /// Tells each dependency of these tasks all its dependents among them in one call, so that a
    /// fan-out of a thousand writes its root once; each task's own submit then finds itself
    /// registered. A registration that fails here is made by the task's own submit.
    /// </summary>
    private async Task RegisterInBulk(SubmitTaskRequest[] requests)
    {
        var byDependency = requests
            .SelectMany(r => (r.DependsOn ?? []).Select(d => (Dependency: d, Dependent: r.Id!)))
            .GroupBy(e => e.Dependency, e => e.Dependent, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .ToList();
        foreach (var chunk in byDependency.Chunk(RegisterParallelism))
        {
            await Task.WhenAll(chunk.Select(async group =>
            {
                try
                {
                    await GrainFactory.Reference<ITaskEngineGrain>(group.Key).RegisterDependents([.. group.Distinct(StringComparer.Ordinal)]);
                }
                catch (Exception ex)
                {
                    LogRegisterFailed(logger, ex, group.Key);
                }
            }));
        }
    }

    private async Task<BatchItemResult> SubmitOne(SubmitTaskRequest request, long sequence, bool newId, bool receipt)
    {
        var id = request.Id!;
        try
        {
            return BatchItemResult.From(id, await GrainFactory.Reference<ITaskEngineGrain>(id).SubmitReserved(request, sequence, newId, receipt));
        }
        catch (Exception ex)
        {
            LogSubmitFailed(logger, ex, id);
            return BatchItemResult.Failed(id, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} could not reserve {Count} places for a batch; those tasks are answered as failed")]
    private static partial void LogReserveFailed(ILogger logger, Exception exception, string queue, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} of a batch could not be submitted; the caller is told to submit it again")]
    private static partial void LogSubmitFailed(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dependency {TaskId} of a batch could not take its dependents in one call; each registers on its own")]
    private static partial void LogRegisterFailed(ILogger logger, Exception exception, string taskId);
}
