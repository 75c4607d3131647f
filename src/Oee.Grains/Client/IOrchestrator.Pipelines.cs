using Oee.Grains.Contracts;

namespace Oee.Grains.Client;

/// <summary>Waiting for a task's end, and pipelines (multi-stage model calls run as a task with child tasks).</summary>
public partial interface IOrchestrator
{
    /// <summary>
    /// Waits until the task reaches a final status (done, error, cancelled) and returns it; no polling:
    /// the task answers when it ends (long-poll calls of at most 20 s, asked again until then).
    /// Throws <see cref="OeeNotFoundException"/> when no task has this id (or it was removed meanwhile).
    /// Cancelling <paramref name="cancellationToken"/> stops waiting, not the task.
    /// </summary>
    Task<TaskRecord> WaitAsync(string taskId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Submits a pipeline: a task with handler <c>pipeline</c> whose stages run as child tasks. Checked
    /// against the cluster's model catalog first: an unknown model, a capability no model serves, a
    /// budget no plan fits (COST_OPTIMIZED, QUALITY_FIRST) or a stage queue equal to the pipeline's queue
    /// throws <see cref="OeeValidationException"/> naming the field (e.g. <c>stages[1].modelId</c>).
    /// Otherwise as <see cref="SubmitAsync"/>.
    /// </summary>
    Task<SubmittedTask> SubmitPipelineAsync(PipelineRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// The pipeline task and its typed result (null while it runs). Throws <see cref="OeeNotFoundException"/>
    /// when unknown and <see cref="OeeConflictException"/> when the task is not a pipeline.
    /// </summary>
    Task<PipelineTask> GetPipelineResultAsync(string taskId, CancellationToken cancellationToken = default);
}
