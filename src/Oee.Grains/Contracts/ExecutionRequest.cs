namespace Oee.Grains.Contracts;

/// <summary>What a task hands its worker: one attempt of its body.</summary>
[GenerateSerializer, Alias("oee.execution-request")]
public sealed record ExecutionRequest
{
    /// <summary>The task id.</summary>
    [Id(0)] public required string TaskId { get; init; }

    /// <summary>The task name.</summary>
    [Id(1)] public required string Name { get; init; }

    /// <summary>The handler to run.</summary>
    [Id(2)] public required string Handler { get; init; }

    /// <summary>The queue.</summary>
    [Id(3)] public required string Queue { get; init; }

    /// <summary>The priority.</summary>
    [Id(4)] public int Priority { get; init; }

    /// <summary>The attempt number, from 1.</summary>
    [Id(5)] public int Attempt { get; init; }

    /// <summary>The input as JSON text.</summary>
    [Id(6)] public string? Input { get; init; }
}
