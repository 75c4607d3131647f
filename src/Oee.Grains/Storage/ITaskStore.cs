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

    /// <summary>Deletes the record and its index entry; returns the ETag to use from now on.</summary>
    Task<string?> Delete(GrainId task, string? etag);

    /// <summary>Records the index entry of a record already written again, after a silo died between the two.</summary>
    Task Reindex(TaskRecord record);
}

/// <summary>A task's record as read (null when there is none) and the ETag to write it with.</summary>
internal readonly record struct StoredTask(TaskRecord? Record, string? ETag);
