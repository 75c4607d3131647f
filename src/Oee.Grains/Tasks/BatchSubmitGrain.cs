using Microsoft.Extensions.Logging;
using Oee.Grains.Contracts;
using Oee.Grains.Queues;

namespace Oee.Grains.Tasks;

/// <summary>
/// Fans a batch out to its task grains from the silo that received it (a stateless worker runs
/// where it is called), so that a client sends one message instead of one per task. The tasks are
/// submitted concurrently, but each queue first reserves a block of sequence numbers for the
/// batch's tasks in it, so that they keep their batch order among equal priorities. One task's
/// failure is that task's answer, never the batch's.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
internal sealed partial class BatchSubmitGrain(ILogger<BatchSubmitGrain> logger) : Grain, IBatchSubmitGrain
{
    async Task<BatchItemResult[]> IBatchSubmitGrain.Submit(SubmitTaskRequest[] requests, CancellationToken cancellationToken)
    {
        if (requests.Any(r => r.Id is null))
        {
            throw new ArgumentException("Every request of a batch needs its id; submit through IOrchestrator.SubmitBatchAsync, which gives them.", nameof(requests));
        }

        var sequences = new long?[requests.Length];
        var failures = new string?[requests.Length];
        var byQueue = Enumerable.Range(0, requests.Length).GroupBy(i => SubmitPolicy.QueueOf(requests[i]), StringComparer.Ordinal);
        await Task.WhenAll(byQueue.Select(queue => Reserve(queue.Key, [.. queue], sequences, failures)));

        return await Task.WhenAll(requests.Select((request, i) => failures[i] is { } failure
            ? Task.FromResult(BatchItemResult.Failed(request.Id!, failure))
            : SubmitOne(request, sequences[i]!.Value)));
    }

    /// <summary>Gives the queue's tasks of the batch consecutive sequence numbers, in batch order.</summary>
    private async Task Reserve(string queue, int[] indexes, long?[] sequences, string?[] failures)
    {
        try
        {
            var first = await GrainFactory.GetGrain<IQueueEngineGrain>(queue).Reserve(indexes.Length);
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

    private async Task<BatchItemResult> SubmitOne(SubmitTaskRequest request, long sequence)
    {
        var id = request.Id!;
        try
        {
            return BatchItemResult.From(id, await GrainFactory.GetGrain<ITaskEngineGrain>(id).SubmitReserved(request, sequence));
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
}
