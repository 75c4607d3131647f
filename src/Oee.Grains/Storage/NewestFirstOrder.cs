using Oee.Grains.Contracts;

namespace Oee.Grains.Storage;

/// <summary>The listing order: newest first (createdAt desc), then id desc, so that it is total.</summary>
internal sealed class NewestFirstOrder : IComparer<TaskSummary>, IComparer<TaskRecord>
{
    public static NewestFirstOrder Instance { get; } = new();

    public int Compare(TaskSummary? x, TaskSummary? y) =>
        ReferenceEquals(x, y) ? 0 : x is null ? -1 : y is null ? 1 : Compare(x.CreatedAt, x.Id, y.CreatedAt, y.Id);

    public int Compare(TaskRecord? x, TaskRecord? y) =>
        ReferenceEquals(x, y) ? 0 : x is null ? -1 : y is null ? 1 : Compare(x.CreatedAt, x.Id, y.CreatedAt, y.Id);

    /// <summary>True when a task at (<paramref name="createdAt"/>, <paramref name="id"/>) comes strictly after the cursor position.</summary>
    public static bool IsAfter(DateTimeOffset createdAt, string id, TaskCursor cursor) =>
        Compare(createdAt, id, cursor.CreatedAt, cursor.Id) > 0;

    private static int Compare(DateTimeOffset xCreatedAt, string xId, DateTimeOffset yCreatedAt, string yId)
    {
        var byTime = yCreatedAt.UtcTicks.CompareTo(xCreatedAt.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(yId, xId);
    }
}
