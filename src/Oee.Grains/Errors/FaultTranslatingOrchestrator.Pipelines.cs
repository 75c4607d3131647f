using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Errors;

/// <summary>Waiting and pipelines, translated as every other call.</summary>
internal sealed partial class FaultTranslatingOrchestrator
{
    public Task<TaskRecord> WaitAsync(string taskId, CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(token => inner.WaitAsync(taskId, token), cancellationToken));

    public Task<SubmittedTask> SubmitPipelineAsync(PipelineRequest request, CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(token => inner.SubmitPipelineAsync(request, token), cancellationToken));

    public Task<PipelineTask> GetPipelineResultAsync(string taskId, CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(token => inner.GetPipelineResultAsync(taskId, token), cancellationToken));
}
