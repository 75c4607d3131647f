using Oee.Grains.Contracts;
using Orleans.Runtime;

namespace Oee.Grains.Storage;

/// <summary>
/// Where task records live, written only by their task grain. Each write also keeps the task index
/// (<see cref="ITaskIndex"/>) in step. Writes and deletes are conditional on the ETag the
/// grain last read or wrote and throw <see cref="Orleans.Storage.InconsistentStateException"/> when
/// the stored record has moved on (a stale activation of the task). Memory mode keeps each record
/// once, in the shard that also indexes it; durable mode keeps it in Orleans grain storage and its
/// summary in the index table.
/// </summary>
internal interface ITaskStore
{
    Task<StoredTask> Read(GrainId task);

    /// <summary>Writes the record; returns its new ETag.</summary>
    Task<string> Write(GrainId task, TaskRecord record, string? etag);

    /// <summary>
    /// True when this store can write a new task's queue entry in the same transaction as its first
    /// record (<see cref="WriteNew"/>): durable mode. Memory mode's queues keep no entries to write.
    /// </summary>
    bool WritesQueueEntries => false;

    /// <summary>
    /// Writes a new task's first record (no record may be stored yet) and, in the same transaction,
    /// its entry in queue <paramref name="queue"/>: both or neither. Returns the record's ETag.
    /// </summary>
    Task<string> WriteNew(GrainId task, TaskRecord record, string queue, Queues.QueueEntry entry) =>
        throw new NotSupportedException("This task store keeps no queue entries; write the record alone.");

    /// <summary>Deletes the record and its index entry; returns the ETag to use from now on.</summary>
    Task<string?> Delete(GrainId task, string? etag);

    /// <summary>Records the index entry of a record already written again, after a silo died between the two.</summary>
    Task Reindex(TaskRecord record);
}

/// <summary>A task's record as read (null when there is none) and the ETag to write it with.</summary>
internal readonly record struct StoredTask(TaskRecord? Record, string? ETag);
