namespace Oee.Grains.Contracts;

/// <summary>A task handler registered in the cluster, as a submit form lists it.</summary>
[GenerateSerializer, Immutable, Alias("oee.dashboard-handler-info")]
public sealed record HandlerInfo
{
    /// <summary>The name tasks give as their handler.</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>What its input should look like (e.g. <c>{"ms": n} with 0 &lt;= n &lt;= 86400000</c>); null when any JSON is accepted.</summary>
    [Id(1)] public string? InputShape { get; init; }
}
