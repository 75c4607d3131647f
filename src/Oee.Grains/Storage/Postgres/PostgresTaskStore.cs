using System.Globalization;
using Npgsql;
using Oee.Grains.Contracts;
using Oee.Grains.Queues;
using Oee.Grains.Tasks;
using Orleans.Runtime;
using Orleans.Storage;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// Durable mode's task store: the record in <c>oee_task_record</c> (serialized as the task grain's
/// state, <see cref="TaskGrainState"/>, by Orleans' binary serializer; the row's version is the
/// ETag), its summary in <c>oee_task</c>. Activations' reads are grouped (<see cref="TaskRecordReader"/>).
/// Writes go through <see cref="TaskRecordWriter"/>: the records of many tasks and their summaries
/// in one statement and one transaction, each record
/// checked against its ETag, a summary written only with its record; a new task's queue entry may go
/// with its first record (<see cref="WriteNew"/>), in the same transaction. A purge deletes the record, then
/// the summary; should a silo die in between, the summary's queue entry or the retention sweep finds
/// no record and drops it.
/// </summary>
internal sealed class PostgresTaskStore(
    PostgresDatabase database,
    TaskRecordReader reader,
    TaskRecordWriter writer,
    PostgresTaskIndex index,
    Orleans.Serialization.Serializer serializer) : ITaskStore
{
    private readonly OrleansGrainStorageSerializer codec = new(serializer);

    public async Task<StoredTask> Read(GrainId task)
    {
        if (await reader.Read(IdOf(task)) is not { } row)
        {
            return new StoredTask(null, null);
        }

        var state = codec.Deserialize<TaskGrainState>(new BinaryData(row.Payload));
        return new StoredTask(state?.Task, ETagOf(row.Version));
    }

    public async Task<string> Write(GrainId task, TaskRecord record, string? etag)
    {
        var payload = codec.Serialize(new TaskGrainState { Task = record }).ToArray();
        var version = await writer.Write(IdOf(task), payload, VersionOf(etag), record.ToSummary());
        return version is { } written ? ETagOf(written) : throw Conflict(IdOf(task), etag);
    }

    public bool WritesQueueEntries => true;

    public async Task<string> WriteNew(GrainId task, TaskRecord record, string queue, QueueEntry entry)
    {
        var payload = codec.Serialize(new TaskGrainState { Task = record }).ToArray();
        var version = await writer.Write(IdOf(task), payload, expectedVersion: null, record.ToSummary(), new NewQueueEntry(queue, entry));
        return version is { } written ? ETagOf(written) : throw Conflict(IdOf(task), null);
    }

    public async Task<string?> Delete(GrainId task, string? etag)
    {
        var id = IdOf(task);
        if (etag is not null)
        {
            await using var command = database.DataSource.CreateCommand("DELETE FROM oee_task_record WHERE service_id = $1 AND id = $2 AND version = $3");
            command.Parameters.Add(new NpgsqlParameter { Value = database.ServiceId });
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            command.Parameters.Add(new NpgsqlParameter { Value = VersionOf(etag) ?? -1 });
            if (await command.ExecuteNonQueryAsync() == 0)
            {
                throw Conflict(id, etag);
            }
        }

        await index.Forget(id);
        return null;
    }

    public Task Reindex(TaskRecord record) => index.Record(record.ToSummary());

    private static string IdOf(GrainId task) => task.Key.ToString()!;

    private static string ETagOf(int version) => version.ToString(CultureInfo.InvariantCulture);

    private static int? VersionOf(string? etag) =>
        etag is null ? null : int.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : -1;

    private static InconsistentStateException Conflict(string id, string? etag) =>
        new($"Task {id}: its stored record is not the version this activation holds (ETag {etag ?? "none"}); another activation has written it since.", "?", etag ?? "");
}
