namespace Oee.Grains.Contracts;

/// <summary>A filtered, paged listing request; results are newest first.</summary>
[GenerateSerializer, Alias("oee.task-query")]
public sealed record TaskQuery
{
    /// <summary>The largest page a query may ask for.</summary>
    public const int MaxLimit = 500;

    /// <summary>The page size when none is given.</summary>
    public const int DefaultLimit = 50;

    /// <summary>Only tasks with this status.</summary>
    [Id(0)] public OeeTaskStatus? Status { get; init; }

    /// <summary>Only tasks of this queue.</summary>
    [Id(1)] public string? Queue { get; init; }

    /// <summary>Only tasks with exactly this name.</summary>
    [Id(2)] public string? Name { get; init; }

    /// <summary>Only tasks carrying this tag.</summary>
    [Id(3)] public string? Tag { get; init; }

    /// <summary>Page size, 1–500.</summary>
    [Id(4)] public int Limit { get; init; } = DefaultLimit;

    /// <summary>The <see cref="TaskPage.NextCursor"/> of the previous page, or null for the first.</summary>
    [Id(5)] public string? Cursor { get; init; }

    /// <summary>Only dead-lettered tasks (true) or only the others (false).</summary>
    [Id(20)] public bool? DeadLettered { get; init; }

    /// <summary>Only the children of this task (e.g. a pipeline's stage tasks).</summary>
    [Id(65)] public string? ParentId { get; init; }

    /// <summary>Only the tasks of this tenant (the REST API sets it for a tenant-bound key, whatever the query says).</summary>
    [Id(86)] public string? Tenant { get; init; }
}

/// <summary>One page of a listing.</summary>
/// <param name="Items">The tasks, newest first.</param>
/// <param name="NextCursor">Pass as <see cref="TaskQuery.Cursor"/> for the next page; null when this is the last.</param>
[GenerateSerializer, Alias("oee.task-page")]
public sealed record TaskPage([property: Id(0)] TaskSummary[] Items, [property: Id(1)] string? NextCursor);
