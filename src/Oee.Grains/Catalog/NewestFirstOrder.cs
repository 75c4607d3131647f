using Oee.Grains.Contracts;

namespace Oee.Grains.Catalog;

/// <summary>The listing order: newest first (createdAt desc), then id desc, so that it is total.</summary>
internal sealed class NewestFirstOrder : IComparer<TaskSummary>
{
    public static NewestFirstOrder Instance { get; } = new();

    public int Compare(TaskSummary? x, TaskSummary? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var byTime = y.CreatedAt.UtcTicks.CompareTo(x.CreatedAt.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(y.Id, x.Id);
    }

    /// <summary>True when <paramref name="item"/> comes strictly after the cursor position.</summary>
    public static bool IsAfter(TaskSummary item, TaskCursor cursor)
    {
        var byTime = cursor.CreatedAt.UtcTicks.CompareTo(item.CreatedAt.UtcTicks);
        return byTime != 0 ? byTime > 0 : string.CompareOrdinal(cursor.Id, item.Id) > 0;
    }
}
