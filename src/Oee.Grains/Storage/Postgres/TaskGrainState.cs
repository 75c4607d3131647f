using Oee.Grains.Contracts;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// What durable mode keeps in Orleans grain storage for a task (state "task" of the task grain): its
/// record, or nothing after a purge. The record is wrapped in this state type because stored rows have
/// this shape: changing it would make existing rows unreadable.
/// </summary>
[GenerateSerializer, Alias("oee.task-grain-state")]
internal sealed class TaskGrainState
{
    [Id(0)] public TaskRecord? Task { get; set; }
}
