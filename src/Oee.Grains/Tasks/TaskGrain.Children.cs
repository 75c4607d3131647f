using Microsoft.Extensions.Logging;
using Oee.Grains.Cluster;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tasks;

/// <summary>
/// Child tasks and waiting for a task's end. A cancelled parent cancels its unfinished children
/// (found through the task index by <see cref="TaskRecord.ParentId"/>, so it works whether or not the
/// parent's body still runs, and on whichever silo the children are); a finished child is not removed while its
/// parent has not finished. Waiters of <see cref="ITaskGrain.WaitForFinish"/> are answered when the task reaches a final status.
/// </summary>
internal sealed partial class TaskGrain
{
    // The longest one WaitForFinish call is held open: well inside a caller's response timeout (30 s by default).
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(20);

    // Completed (and replaced on the next wait) when the record reaches a final status or goes away.
    private TaskCompletionSource? finishWaiters;

    async Task<TaskRecord?> ITaskGrain.WaitForFinish(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        await Loaded();
        if (record is null)
        {
            DeactivateOnIdle();
            return null;
        }

        if (record.Status.IsFinal() || maxWait <= TimeSpan.Zero)
        {
            return record;
        }

        finishWaiters ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            // A transport wait (how long a request is held open), not an engine time rule: the system clock.
            await finishWaiters.Task.WaitAsync(maxWait < MaxWait ? maxWait : MaxWait, TimeProvider.System, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Not final yet: the caller asks again.
        }

        return record;
    }

    /// <summary>Answers the waiters when the record is final or gone (called after every persist and purge).</summary>
    private void SignalWaiters()
    {
        if (finishWaiters is { } waiters && (record is null || record.Status.IsFinal()))
        {
            finishWaiters = null;
            waiters.TrySetResult();
        }
    }

    /// <summary>Answers every waiter now (the activation goes away): each asks again and reaches the next activation.</summary>
    private void ReleaseWaiters()
    {
        if (finishWaiters is { } waiters)
        {
            finishWaiters = null;
            waiters.TrySetResult();
        }
    }

    /// <summary>
    /// True while this task's parent (of its own tenant) has not finished: a finished child is then kept by every purge, the
    /// clear a user asks for and the retention sweep alike, since its parent's body may still read it (a running
    /// pipeline waits for each stage task's record, and failed when one was removed before it read it). The parent's
    /// record is read with <see cref="ITaskGrain.WaitForFinish"/> and no wait, a call that interleaves with the parent's
    /// own work: two tasks naming each other as parent, both purged at once, cannot wait on each other.
    /// </summary>
    private async Task<bool> ParentUnfinished(string parentId, string? tenant)
    {
        var parent = await grains.Reference<ITaskGrain>(parentId).WaitForFinish(TimeSpan.Zero);
        return parent is not null && !parent.Status.IsFinal() && string.Equals(parent.Tenant, tenant, StringComparison.Ordinal);
    }

    /// <summary>
    /// Cancels this task's unfinished children, off the activation (which may deactivate now that its
    /// task is cancelled). Each child's cancel cancels its own children in turn.
    /// </summary>
    private void CancelChildren()
    {
        var id = Id;
        var tenant = record?.Tenant;
        _ = Task.Run(() => CancelChildren(id, tenant));
    }

    // Only children of the parent's own tenant: another tenant naming this task as its parent gains nothing over it.
    private async Task CancelChildren(string parentId, string? tenant)
    {
        try
        {
            var index = grains.GetGrain<ITaskIndexGrain>(0);
            string? cursor = null;
            var cancelled = 0;
            do
            {
                var page = await index.Query(new TaskQuery { ParentId = parentId, Tenant = tenant, Limit = TaskQuery.MaxLimit, Cursor = cursor });
                var open = page.Items.Where(c => !c.Status.IsFinal()).ToArray();
                await Task.WhenAll(open.Select(c => grains.Reference<ITaskGrain>(c.Id).Cancel()));
                cancelled += open.Length;
                cursor = page.NextCursor;
            }
            while (cursor is not null);

            if (cancelled > 0)
            {
                LogChildrenCancelled(logger, parentId, cancelled);
            }
        }
        catch (Exception ex)
        {
            LogChildrenNotCancelled(logger, ex, parentId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId} was cancelled: {Count} unfinished child task(s) cancelled with it")]
    private static partial void LogChildrenCancelled(ILogger logger, string taskId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} was cancelled, but its child tasks could not all be cancelled ({Reason}); list its children (parentId) and cancel them")]
    private static partial void LogChildrenNotCancelled(ILogger logger, Exception exception, string taskId, string reason);
}
