using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Errors;

/// <summary>Waiting and pipelines, translated as every other call.</summary>
internal sealed partial class FaultTranslatingOrchestrator
{
    public Task<TaskRecord> WaitAsync(string taskId, CancellationToken cancellationToken = default) =>
        Guard(inner.WaitAsync(taskId, cancellationToken));

    public Task<SubmittedTask> SubmitPipelineAsync(PipelineRequest request, CancellationToken cancellationToken = default) =>
        Guard(inner.SubmitPipelineAsync(request, cancellationToken));

    public Task<PipelineTask> GetPipelineResultAsync(string taskId, CancellationToken cancellationToken = default) =>
        Guard(inner.GetPipelineResultAsync(taskId, cancellationToken));
}
