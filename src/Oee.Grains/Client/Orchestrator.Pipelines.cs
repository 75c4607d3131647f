using System.Text.Json;
using Oee.Grains.Cluster;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Pipelines;
using Oee.Grains.Tasks;

namespace Oee.Grains.Client;

/// <summary>Waiting and pipelines.</summary>
internal sealed partial class Orchestrator
{
    // One long-poll call: well inside a client's response timeout.
    private static readonly TimeSpan WaitStep = TimeSpan.FromSeconds(15);

    /// <inheritdoc />
    public async Task<TaskRecord> WaitAsync(string taskId, CancellationToken cancellationToken = default)
    {
        RequireId(taskId, "id");
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var task = await grains.Reference<ITaskGrain>(taskId).WaitForFinish(WaitStep, cancellationToken)
                ?? throw new OeeNotFoundException("task", taskId);
            if (task.Status.IsFinal())
            {
                return task;
            }
        }
    }

    /// <inheritdoc />
    public async Task<SubmittedTask> SubmitPipelineAsync(PipelineRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spec = request.Spec ?? throw OeeValidationException.For("stages", "A pipeline has 1–32 stages.");
        var task = new SubmitTaskRequest
        {
            Id = request.Id,
            Name = request.Name,
            Handler = PipelineLimits.HandlerName,
            Queue = request.Queue,
            Priority = request.Priority,
            Tags = request.Tags,
            MaxAttempts = 1,
            Input = JsonSerializer.Serialize(spec, TaskJson.Options),
            SubmittedBy = request.SubmittedBy,
            Tenant = request.Tenant,
        };

        // The task's fields, then the pipeline's shape (no silo needed), then the catalog (the silo's).
        var errors = SubmitPolicy.ForClient.Check(task, time.GetUtcNow()).Where(e => e.Field != "input" && e.Field != "handler").ToList();
        errors.AddRange(PipelineSpecRules.Check(spec));
        if (errors.Count == 0)
        {
            errors.AddRange(await grains.GetGrain<IPipelineCheckGrain>(0).Check(spec, SubmitPolicy.QueueOf(task)));
        }

        if (errors.Count > 0)
        {
            throw new OeeValidationException(errors);
        }

        return await SubmitAsync(task, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<PipelineTask> GetPipelineResultAsync(string taskId, CancellationToken cancellationToken = default)
    {
        var task = await GetAsync(taskId, cancellationToken) ?? throw new OeeNotFoundException("task", taskId);
        if (task.Handler != PipelineLimits.HandlerName)
        {
            throw new OeeConflictException($"Task '{taskId}' is not a pipeline (its handler is '{task.Handler}'); read it with GET /api/tasks/{taskId}.", task);
        }

        return new PipelineTask(task, ReadResult(task.Result));
    }

    private static PipelineResult? ReadResult(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<PipelineResult>(json, TaskJson.Options);
        }
        catch (JsonException)
        {
            // A pipeline task submitted by hand whose body never produced a pipeline result.
            return null;
        }
    }
}
