using Oee.Grains.Contracts;

namespace Oee.Grains.Errors;

/// <summary>The model catalog, translated as every other call.</summary>
internal sealed partial class FaultTranslatingOrchestrator
{
    public Task<ModelInfo[]> ListModelsAsync(CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(inner.ListModelsAsync, cancellationToken));

    public Task<ModelInfo?> GetModelAsync(string id, CancellationToken cancellationToken = default) =>
        Guard(RejectedCallRetry.Run(token => inner.GetModelAsync(id, token), cancellationToken));
}
