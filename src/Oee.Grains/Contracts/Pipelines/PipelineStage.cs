namespace Oee.Grains.Contracts;

/// <summary>One stage of a pipeline: which model (or capability), and the prompt it gets.</summary>
[GenerateSerializer, Immutable, Alias("oee.pipeline-stage")]
public sealed record PipelineStage
{
    /// <summary>The stage's name (1–64 characters of <c>[A-Za-z0-9._-]</c>, unique in the pipeline); later stages refer to it.</summary>
    [Id(0)] public string Name { get; init; } = "";

    /// <summary>A catalog model id: the stage runs on this model only. Give this or <see cref="Capability"/>.</summary>
    [Id(1)] public string? ModelId { get; init; }

    /// <summary>A capability (e.g. <c>summarize</c>): the strategy picks among the catalog models serving it.</summary>
    [Id(2)] public string? Capability { get; init; }

    /// <summary>
    /// The prompt template: <c>{{input}}</c> is the pipeline's input and <c>{{stages.NAME.output}}</c>
    /// an earlier stage's output. Omitted: <c>{{input}}</c> for the first stage, the previous stage's output for the others.
    /// </summary>
    [Id(3)] public string? Input { get; init; }

    /// <summary>Optional system instructions sent with the prompt.</summary>
    [Id(4)] public string? Instructions { get; init; }

    /// <summary>A check of the output; for SEQUENTIAL_VALIDATION, non-empty when omitted.</summary>
    [Id(5)] public PipelineCheck? Check { get; init; }

    /// <summary>Fewer output tokens than the model's own limit, or null for that limit.</summary>
    [Id(6)] public int? MaxOutputTokens { get; init; }
}
