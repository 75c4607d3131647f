using Oee.Grains.Contracts;

namespace Oee.Grains.Tasks;

/// <summary>What a task grain persists: its record, or nothing before submit and after purge.</summary>
[GenerateSerializer, Alias("oee.task-grain-state")]
internal sealed class TaskGrainState
{
    [Id(0)] public TaskRecord? Task { get; set; }
}
