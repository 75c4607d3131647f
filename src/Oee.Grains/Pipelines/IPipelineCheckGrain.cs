using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Contracts;
using Orleans.CodeGeneration;

namespace Oee.Grains.Pipelines;

/// <summary>Checks a pipeline against a silo's model catalog and options before it is submitted (field errors named as in the REST body).</summary>
[Version(1)]
[Alias("oee.engine.pipeline-check")]
internal interface IPipelineCheckGrain : IGrainWithIntegerKey
{
    /// <summary>Every field error of the spec for a pipeline in <paramref name="queue"/>; empty when it may be submitted.</summary>
    [Alias("check")]
    Task<FieldError[]> Check(PipelineSpec spec, string queue);
}

/// <summary>Runs the <c>pipeline</c> handler's check on the caller's silo.</summary>
[StatelessWorker]
internal sealed class PipelineCheckGrain(IServiceProvider services) : Grain, IPipelineCheckGrain
{
    Task<FieldError[]> IPipelineCheckGrain.Check(PipelineSpec spec, string queue) =>
        Task.FromResult(ActivatorUtilities.CreateInstance<PipelineHandler>(services).Check(spec, queue));
}
