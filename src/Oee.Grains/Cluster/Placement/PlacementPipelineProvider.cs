using Orleans.Runtime;
using Polly;
using Polly.Registry;

namespace Oee.Grains.Cluster.Placement;

/// <summary>
/// The silo's provider of Polly pipelines by name: Polly's registry for every name but Orleans' placement
/// pipeline, for which it serves OEE's (<see cref="PlacementGuardStrategy"/>). Orleans' placement service takes its
/// pipeline from this provider once, when the silo is built.
/// </summary>
internal sealed class PlacementPipelineProvider(ResiliencePipelineProvider<string> registry, ResiliencePipeline<SiloAddress> placement)
    : ResiliencePipelineProvider<string>
{
    /// <summary>The name under which Orleans 10 registers and looks up its placement pipeline.</summary>
    public const string OrleansPlacementKey = "Orleans.Placement";

    public override bool TryGetPipeline(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResiliencePipeline? pipeline) =>
        registry.TryGetPipeline(key, out pipeline);

    public override bool TryGetPipeline<TResult>(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResiliencePipeline<TResult>? pipeline)
    {
        if (typeof(TResult) == typeof(SiloAddress) && key == OrleansPlacementKey)
        {
            pipeline = (ResiliencePipeline<TResult>)(object)placement;
            return true;
        }

        return registry.TryGetPipeline(key, out pipeline);
    }
}
