namespace Oee.Grains.Contracts;

/// <summary>A check of a stage's output: a failed check counts as a failed call (the next model is tried).</summary>
[GenerateSerializer, Immutable, Alias("oee.pipeline-check")]
public sealed record PipelineCheck
{
    /// <summary>What is checked.</summary>
    [Id(0)] public PipelineCheckKind Kind { get; init; }

    /// <summary>For <see cref="PipelineCheckKind.Regex"/>: the pattern the output must match.</summary>
    [Id(1)] public string? Pattern { get; init; }

    /// <summary>For <see cref="PipelineCheckKind.Model"/>: the catalog id of the validator model.</summary>
    [Id(2)] public string? Model { get; init; }
}
