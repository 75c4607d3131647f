using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Contracts;
using Oee.Grains.Tasks;
using Orleans.Runtime;
using Orleans.Storage;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// Durable mode's task store: the record in Orleans' ADO.NET grain storage (state "task" of the
/// task grain, ETag-checked by the provider), its summary in <c>oee_task</c>, both written side by
/// side (one round trip of latency, not two). Should the record's write fail after the summary
/// landed, the index briefly shows a state the record does not have; the next transition or
/// re-dispatch corrects it (<see cref="Reindex"/>).
/// </summary>
internal sealed class PostgresTaskStore(
    [FromKeyedServices(OeeStorage.Name)] IGrainStorage storage,
    PostgresTaskIndex index) : ITaskStore
{
    private const string StateName = "task";

    public async Task<StoredTask> Read(GrainId task)
    {
        var state = new GrainState<TaskGrainState>(new TaskGrainState());
        await storage.ReadStateAsync(StateName, task, state);
        return new StoredTask(state.State?.Task, state.ETag);
    }

    public async Task<string> Write(GrainId task, TaskRecord record, string? etag)
    {
        var state = new GrainState<TaskGrainState>(new TaskGrainState { Task = record }, etag) { RecordExists = etag is not null };
        await Task.WhenAll(storage.WriteStateAsync(StateName, task, state), index.Record(record.ToSummary()));
        return state.ETag!;
    }

    public async Task<string?> Delete(GrainId task, string? etag)
    {
        var state = new GrainState<TaskGrainState>(new TaskGrainState(), etag) { RecordExists = etag is not null };
        await storage.ClearStateAsync(StateName, task, state);
        await index.Forget(task.Key.ToString()!);
        return state.ETag;
    }

    public Task Reindex(TaskRecord record) => index.Record(record.ToSummary());
}
