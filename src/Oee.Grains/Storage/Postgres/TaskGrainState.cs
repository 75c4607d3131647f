using Oee.Grains.Contracts;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// What durable mode keeps for a task in <c>oee_task_record.payload</c> (Orleans' binary serializer):
/// its record. Earlier versions kept the same bytes in Orleans grain storage (state "task" of the task
/// grain), which migration 0013 moved over as they were: changing this shape would make stored rows unreadable.
/// </summary>
[GenerateSerializer, Alias("oee.task-grain-state")]
internal sealed class TaskGrainState
{
    [Id(0)] public TaskRecord? Task { get; set; }
}
