using Oee.Grains.Contracts;

namespace Oee.Grains.Tasks;

/// <summary>A submit answered without the task (<see cref="ITaskEngineGrain.SubmitForReceipt"/>).</summary>
internal sealed partial class TaskGrain
{
    // The answers carry no task: the same two objects serve every submit (Orleans copies an answer for a local caller).
    private static readonly SubmitResult CreatedReceipt = new() { Status = SubmitStatus.Created };
    private static readonly SubmitResult ExistingReceipt = new() { Status = SubmitStatus.Existing };

    // Answered by the submit itself (no wrapper awaiting it): each awaiting layer of a grain method costs a
    // state machine and a continuation scheduled on the grain's scheduler, ~0.3-0.5 KiB per task.
    ValueTask<SubmitResult> ITaskEngineGrain.SubmitForReceipt(SubmitTaskRequest request, CancellationToken cancellationToken) =>
        new(LoadedSubmit(request, reservedSequence: null, receipt: true));

    /// <summary>An accepted submit's answer (created or existing): with <paramref name="receipt"/> the shared one without the task.</summary>
    private static SubmitResult Answer(SubmitStatus status, TaskRecord task, bool receipt) => (status, receipt) switch
    {
        (SubmitStatus.Created, true) => CreatedReceipt,
        (SubmitStatus.Created, false) => SubmitResult.Created(task),
        (_, true) => ExistingReceipt,
        _ => SubmitResult.Existing(task),
    };
}
