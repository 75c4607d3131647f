using Oee.Grains.Contracts;

namespace Oee.Grains.Storage;

/// <summary>Turns "up to limit + 1 items, newest first" into a page and the cursor after it.</summary>
internal static class TaskPages
{
    /// <summary>The first <paramref name="limit"/> items; a cursor after the last of them when one more item exists.</summary>
    public static TaskPage From(IReadOnlyList<TaskSummary> upToOneMore, int limit)
    {
        if (upToOneMore.Count <= limit)
        {
            return new TaskPage([.. upToOneMore], null);
        }

        var last = upToOneMore[limit - 1];
        return new TaskPage([.. upToOneMore.Take(limit)], new TaskCursor(last.CreatedAt, last.Id).Encode());
    }
}
