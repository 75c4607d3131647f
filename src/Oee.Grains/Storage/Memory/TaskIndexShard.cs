using Oee.Grains.Contracts;

namespace Oee.Grains.Storage.Memory;

/// <summary>
/// One shard of memory mode's task records, which are also its index: records by id, kept newest
/// first overall and per status, with counts. A task has one copy here and nowhere else.
/// Writes are conditional on the version the writer read (its ETag), so that a stale activation
/// cannot overwrite a newer record. Pure data structure: O(log n) store and remove, queries scan
/// from the cursor.
/// </summary>
internal sealed class TaskIndexShard
{
    private readonly Dictionary<string, TaskRecord> byId = new(StringComparer.Ordinal);
    private readonly SortedSet<TaskRecord> all = new(NewestFirstOrder.Instance);
    private readonly Dictionary<OeeTaskStatus, SortedSet<TaskRecord>> byStatus = [];

    // Children by parent id (only tasks that have a parent), so that listing or cancelling a
    // pipeline's stage tasks never scans the shard.
    private readonly Dictionary<string, SortedSet<TaskRecord>> byParent = new(StringComparer.Ordinal);
    private static readonly SortedSet<TaskRecord> NoChildren = new(NewestFirstOrder.Instance);

    // Tasks by tenant (only tasks that have one), so that a tenant's listing never scans other tenants' tasks.
    private readonly Dictionary<string, SortedSet<TaskRecord>> byTenant = new(StringComparer.Ordinal);
    private readonly StringPool strings = new(capacity: 100_000);

    public int Count => byId.Count;

    public TaskRecord? Get(string taskId) => byId.GetValueOrDefault(taskId);

    /// <summary>
    /// Stores the record when the one held has <paramref name="expectedVersion"/> (0: none is held);
    /// false, changing nothing, otherwise.
    /// </summary>
    public bool Store(TaskRecord record, long expectedVersion)
    {
        if (byId.TryGetValue(record.Id, out var held))
        {
            if (held.Version != expectedVersion)
            {
                return false;
            }

            Detach(held);
        }
        else if (expectedVersion != 0)
        {
            return false;
        }

        record = record with
        {
            Name = strings.Share(record.Name)!,
            Handler = strings.Share(record.Handler)!,
            Queue = strings.Share(record.Queue)!,
            Silo = strings.Share(record.Silo),
            ParentId = strings.Share(record.ParentId),
            ConcurrencyKey = strings.Share(record.ConcurrencyKey),
            Tenant = strings.Share(record.Tenant),
            Tags = record.Tags.Length == 0 ? [] : record.Tags,
        };
        byId[record.Id] = record;
        all.Add(record);
        StatusSet(record.Status).Add(record);
        if (record.ParentId is { } parent)
        {
            SetOf(byParent, parent).Add(record);
        }

        if (record.Tenant is { } tenant)
        {
            SetOf(byTenant, tenant).Add(record);
        }

        return true;
    }

    /// <summary>Removes the record when it has <paramref name="expectedVersion"/>; true when none is held afterwards.</summary>
    public bool Remove(string taskId, long expectedVersion)
    {
        if (!byId.TryGetValue(taskId, out var held))
        {
            return true;
        }

        if (held.Version != expectedVersion)
        {
            return false;
        }

        return Forget(taskId);
    }

    /// <summary>Removes the record whatever its version; false when none was held.</summary>
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
        var source = query.ParentId is { } parent
            ? byParent.GetValueOrDefault(parent) ?? NoChildren
            : query.Tenant is { } tenant
                ? byTenant.GetValueOrDefault(tenant) ?? NoChildren
                : query.Status is { } status ? StatusSet(status) : all;
        var page = new List<TaskSummary>(Math.Min(take, 64));
        foreach (var item in From(source, cursor))
        {
            if (Matches(item, query))
            {
                page.Add(item.ToSummary());
                if (page.Count == take)
                {
                    break;
                }
            }
        }

        return page;
    }

    /// <summary>Up to <paramref name="max"/> ids of finished tasks completed at or before the cutoff (when given).</summary>
    public List<string> FindFinished(OeeTaskStatus? status, DateTimeOffset? finishedBefore, int max)
    {
        var ids = new List<string>();
        foreach (var final in OeeTaskStatusExtensions.All.Where(s => s.IsFinal() && (status is null || s == status)))
        {
            // Oldest first; a task created after the cutoff cannot have finished before it, so the
            // scan ends there and never walks the recent tasks it would keep.
            foreach (var item in StatusSet(final).Reverse())
            {
                if (ids.Count == max || (finishedBefore is not null && item.CreatedAt > finishedBefore))
                {
                    break;
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

    private static IEnumerable<TaskRecord> From(SortedSet<TaskRecord> source, TaskCursor? cursor)
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
        var probe = new TaskRecord { Id = position.Id, Name = "", Handler = "", Queue = "", CreatedAt = position.CreatedAt };
        if (NewestFirstOrder.Instance.Compare(probe, source.Max) > 0)
        {
            return [];
        }

        return source.GetViewBetween(probe, source.Max!).Where(item => NewestFirstOrder.IsAfter(item.CreatedAt, item.Id, position));
    }

    private static bool Matches(TaskRecord item, TaskQuery query) =>
        (query.Queue is null || string.Equals(item.Queue, query.Queue, StringComparison.Ordinal))
        && (query.Name is null || string.Equals(item.Name, query.Name, StringComparison.Ordinal))
        && (query.Tag is null || item.Tags.Contains(query.Tag, StringComparer.Ordinal))
        && (query.DeadLettered is null || item.DeadLettered == query.DeadLettered)
        && (query.Status is null || item.Status == query.Status)
        && (query.ParentId is null || string.Equals(item.ParentId, query.ParentId, StringComparison.Ordinal))
        && (query.Tenant is null || string.Equals(item.Tenant, query.Tenant, StringComparison.Ordinal));

    private static SortedSet<TaskRecord> SetOf(Dictionary<string, SortedSet<TaskRecord>> sets, string key)
    {
        if (!sets.TryGetValue(key, out var set))
        {
            set = new SortedSet<TaskRecord>(NewestFirstOrder.Instance);
            sets[key] = set;
        }

        return set;
    }

    private static void RemoveFrom(Dictionary<string, SortedSet<TaskRecord>> sets, string? key, TaskRecord held)
    {
        if (key is not null && sets.TryGetValue(key, out var set))
        {
            set.Remove(held);
            if (set.Count == 0)
            {
                sets.Remove(key);
            }
        }
    }

    private SortedSet<TaskRecord> StatusSet(OeeTaskStatus status)
    {
        if (!byStatus.TryGetValue(status, out var set))
        {
            set = new SortedSet<TaskRecord>(NewestFirstOrder.Instance);
            byStatus[status] = set;
        }

        return set;
    }

    private void Detach(TaskRecord held)
    {
        all.Remove(held);
        StatusSet(held.Status).Remove(held);
        RemoveFrom(byParent, held.ParentId, held);
        RemoveFrom(byTenant, held.Tenant, held);
    }
}
