using Oee.Grains.Contracts;

namespace Oee.Grains.Catalog;

/// <summary>
/// The summaries of one shard of tasks, kept newest first overall and per status, with counts.
/// Pure data structure: O(log n) record and forget, queries scan from the cursor.
/// </summary>
internal sealed class TaskIndexShard
{
    private readonly Dictionary<string, TaskSummary> byId = new(StringComparer.Ordinal);
    private readonly SortedSet<TaskSummary> all = new(NewestFirstOrder.Instance);
    private readonly Dictionary<OeeTaskStatus, SortedSet<TaskSummary>> byStatus = [];
    private readonly StringPool strings = new(capacity: 100_000);

    public int Count => byId.Count;

    /// <summary>Adds or replaces a summary; false when the one held is as new or newer.</summary>
    public bool Record(TaskSummary summary)
    {
        if (byId.TryGetValue(summary.Id, out var held))
        {
            if (held.Version >= summary.Version)
            {
                return false;
            }

            Detach(held);
        }

        summary = summary with
        {
            Name = strings.Share(summary.Name)!,
            Handler = strings.Share(summary.Handler)!,
            Queue = strings.Share(summary.Queue)!,
            Silo = strings.Share(summary.Silo),
            Tags = summary.Tags.Length == 0 ? [] : summary.Tags,
        };
        byId[summary.Id] = summary;
        all.Add(summary);
        StatusSet(summary.Status).Add(summary);
        return true;
    }

    public bool Forget(string taskId)
    {
        if (!byId.Remove(taskId, out var held))
        {
            return false;
        }

        Detach(held);
        return true;
    }

    /// <summary>Up to <paramref name="take"/> matching summaries after the cursor, newest first.</summary>
    public List<TaskSummary> Query(TaskQuery query, TaskCursor? cursor, int take)
    {
        var source = query.Status is { } status ? StatusSet(status) : all;
        var page = new List<TaskSummary>(Math.Min(take, 64));
        foreach (var item in From(source, cursor))
        {
            if (Matches(item, query))
            {
                page.Add(item);
                if (page.Count == take)
                {
                    break;
                }
            }
        }

        return page;
    }

    /// <summary>Up to <paramref name="max"/> ids of finished tasks completed at or before the cutoff (when given).</summary>
    public List<string> FindFinished(DateTimeOffset? finishedBefore, int max)
    {
        var ids = new List<string>();
        foreach (var status in OeeTaskStatusExtensions.All.Where(s => s.IsFinal()))
        {
            foreach (var item in StatusSet(status))
            {
                if (ids.Count == max)
                {
                    return ids;
                }

                if (finishedBefore is null || item.CompletedAt <= finishedBefore)
                {
                    ids.Add(item.Id);
                }
            }
        }

        return ids;
    }

    public Dictionary<OeeTaskStatus, long> CountByStatus() =>
        OeeTaskStatusExtensions.All.ToDictionary(s => s, s => (long)(byStatus.TryGetValue(s, out var set) ? set.Count : 0));

    private static IEnumerable<TaskSummary> From(SortedSet<TaskSummary> source, TaskCursor? cursor)
    {
        if (cursor is not { } position)
        {
            return source;
        }

        if (source.Count == 0)
        {
            return [];
        }

        // A probe at the cursor position: everything from it on (minus the probe's own id) comes after.
        var probe = new TaskSummary { Id = position.Id, Name = "", Handler = "", Queue = "", CreatedAt = position.CreatedAt };
        if (NewestFirstOrder.Instance.Compare(probe, source.Max) > 0)
        {
            return [];
        }

        return source.GetViewBetween(probe, source.Max!).Where(item => NewestFirstOrder.IsAfter(item, position));
    }

    private static bool Matches(TaskSummary item, TaskQuery query) =>
        (query.Queue is null || string.Equals(item.Queue, query.Queue, StringComparison.Ordinal))
        && (query.Name is null || string.Equals(item.Name, query.Name, StringComparison.Ordinal))
        && (query.Tag is null || item.Tags.Contains(query.Tag, StringComparer.Ordinal));

    private SortedSet<TaskSummary> StatusSet(OeeTaskStatus status)
    {
        if (!byStatus.TryGetValue(status, out var set))
        {
            set = new SortedSet<TaskSummary>(NewestFirstOrder.Instance);
            byStatus[status] = set;
        }

        return set;
    }

    private void Detach(TaskSummary held)
    {
        all.Remove(held);
        StatusSet(held.Status).Remove(held);
    }
}
