using Oee.Grains.Contracts;

namespace Oee.Grains.Storage.Memory;

/// <summary>
/// One shard of memory mode's task records, which are also its index: records by id, kept newest
/// first overall and per status, with counts. A task has one copy here and nowhere else, in the
/// compact form of <see cref="ShardRecord"/>.
/// Writes are conditional on the version the writer read (its ETag), so that a stale activation
/// cannot overwrite a newer record. Pure data structure: O(log n) store and remove (a new record is
/// appended, see <see cref="NewestFirstSet"/>), queries scan from the cursor. A rewrite keeps the
/// record's object, and so its place in the sets ordered by creation; only a change of status moves it
/// from one status set to another.
/// </summary>
internal sealed class TaskIndexShard
{
    private readonly Dictionary<TaskKey, ShardRecord> byId = [];
    private readonly NewestFirstSet all = new();
    private readonly Dictionary<OeeTaskStatus, NewestFirstSet> byStatus = [];

    // Children by parent id (only tasks that have a parent), so that listing or cancelling a
    // pipeline's stage tasks never scans the shard.
    private readonly Dictionary<string, NewestFirstSet> byParent = new(StringComparer.Ordinal);
    private static readonly NewestFirstSet NoChildren = new();

    // Tasks by tenant (only tasks that have one), so that a tenant's listing never scans other tenants' tasks.
    private readonly Dictionary<string, NewestFirstSet> byTenant = new(StringComparer.Ordinal);
    private readonly StringPool strings = new(capacity: 100_000);
    private readonly Func<string?, string?> share;

    public TaskIndexShard()
    {
        share = strings.Share;
    }

    public int Count => byId.Count;

    public TaskRecord? Get(string taskId) => byId.GetValueOrDefault(TaskKey.Of(taskId))?.ToRecord();

    /// <summary>
    /// Stores the record when the one held has <paramref name="expectedVersion"/> (0: none is held);
    /// false, changing nothing, otherwise.
    /// </summary>
    public bool Store(TaskRecord record, long expectedVersion)
    {
        if (byId.TryGetValue(TaskKey.Of(record.Id), out var held))
        {
            if (held.Version != expectedVersion)
            {
                return false;
            }

            if (held.CanOverwrite(record))
            {
                // Its place in every set ordered by creation stays: only a change of status moves it.
                var before = held.Status;
                if (before != record.Status)
                {
                    StatusSet(before).Remove(held);
                }

                held.Overwrite(record, share);
                if (before != held.Status)
                {
                    StatusSet(held.Status).Add(held);
                }

                return true;
            }

            Detach(held);
        }
        else if (expectedVersion != 0)
        {
            return false;
        }

        var stored = ShardRecord.Of(record, share);
        byId[stored.Key] = stored;
        all.Add(stored);
        StatusSet(stored.Status).Add(stored);
        if (stored.ParentId is { } parent)
        {
            SetOf(byParent, parent).Add(stored);
        }

        if (stored.Tenant is { } tenant)
        {
            SetOf(byTenant, tenant).Add(stored);
        }

        return true;
    }

    /// <summary>Removes the record when it has <paramref name="expectedVersion"/>; true when none is held afterwards.</summary>
    public bool Remove(string taskId, long expectedVersion)
    {
        if (!byId.TryGetValue(TaskKey.Of(taskId), out var held))
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
        if (!byId.Remove(TaskKey.Of(taskId), out var held))
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
            foreach (var item in StatusSet(final).OldestFirstOrder())
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

    private static IEnumerable<ShardRecord> From(NewestFirstSet source, TaskCursor? cursor)
    {
        if (cursor is not { } position)
        {
            return source;
        }

        // A probe at the cursor position: everything after it (never the probe's own id) comes next.
        var probe = ShardRecord.Of(new TaskRecord { Id = position.Id, Name = "", Handler = "", Queue = "", CreatedAt = position.CreatedAt }, static s => s);
        return source.After(probe);
    }

    private static bool Matches(ShardRecord item, TaskQuery query) =>
        (query.Queue is null || string.Equals(item.Queue, query.Queue, StringComparison.Ordinal))
        && (query.Name is null || string.Equals(item.Name, query.Name, StringComparison.Ordinal))
        && (query.Tag is null || item.Tags.Contains(query.Tag, StringComparer.Ordinal))
        && (query.DeadLettered is null || item.DeadLettered == query.DeadLettered)
        && (query.Status is null || item.Status == query.Status)
        && (query.ParentId is null || string.Equals(item.ParentId, query.ParentId, StringComparison.Ordinal))
        && (query.Tenant is null || string.Equals(item.Tenant, query.Tenant, StringComparison.Ordinal));

    private static NewestFirstSet SetOf(Dictionary<string, NewestFirstSet> sets, string key)
    {
        if (!sets.TryGetValue(key, out var set))
        {
            set = new NewestFirstSet();
            sets[key] = set;
        }

        return set;
    }

    private static void RemoveFrom(Dictionary<string, NewestFirstSet> sets, string? key, ShardRecord held)
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

    private NewestFirstSet StatusSet(OeeTaskStatus status)
    {
        if (!byStatus.TryGetValue(status, out var set))
        {
            set = new NewestFirstSet();
            byStatus[status] = set;
        }

        return set;
    }

    private void Detach(ShardRecord held)
    {
        all.Remove(held);
        StatusSet(held.Status).Remove(held);
        RemoveFrom(byParent, held.ParentId, held);
        RemoveFrom(byTenant, held.Tenant, held);
    }
}
