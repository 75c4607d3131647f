using Microsoft.Extensions.Logging;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tasks;

/// <summary>
/// Fans a batch out to its task grains from the silo that received it (a stateless worker runs
/// where it is called), so that a client sends one message instead of one per task. One task's
/// failure is that task's answer, never the batch's.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
internal sealed partial class BatchSubmitGrain(ILogger<BatchSubmitGrain> logger) : Grain, IBatchSubmitGrain
{
    Task<BatchItemResult[]> IBatchSubmitGrain.Submit(SubmitTaskRequest[] requests)
    {
        if (requests.FirstOrDefault(r => r.Id is null) is not null)
        {
            throw new ArgumentException("Every request of a batch needs its id; submit through IOrchestrator.SubmitBatchAsync, which gives them.", nameof(requests));
        }

        return Task.WhenAll(requests.Select(SubmitOne));
    }

    private async Task<BatchItemResult> SubmitOne(SubmitTaskRequest request)
    {
        var id = request.Id!;
        try
        {
            return BatchItemResult.From(id, await GrainFactory.GetGrain<ITaskGrain>(id).Submit(request));
        }
        catch (Exception ex)
        {
            LogSubmitFailed(logger, ex, id);
            return BatchItemResult.Failed(id, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} of a batch could not be submitted; the caller is told to submit it again")]
    private static partial void LogSubmitFailed(ILogger logger, Exception exception, string taskId);
}
