using System.Text.Json;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Models;

namespace Oee.Grains.Pipelines;

/// <summary>
/// Runs model calls as child tasks of a pipeline (handler <c>model</c>, in the stage queue, parent =
/// the pipeline) and waits for each without polling; remembers the ones in flight so that a pipeline
/// that stops (maxTime, cancel) cancels them, and with them their HTTP calls.
/// </summary>
internal sealed class StageCalls(IOrchestrator orchestrator, TaskContext pipeline, string stageQueue, TimeSpan stageTimeout)
{
    private readonly Lock gate = new();
    private readonly HashSet<string> inFlight = new(StringComparer.Ordinal);

    /// <summary>Calls <paramref name="model"/> once as a stage task and answers how it went (a failure is a call, not an exception).</summary>
    public async Task<PipelineCall> Call(ModelInfo model, PipelineStage stage, string prompt, string? instructions, PipelineCallRole role, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var id = Guid.CreateVersion7(pipeline.Time.GetUtcNow()).ToString();
        var name = $"{pipeline.Name} / {stage.Name}";
        var request = new SubmitTaskRequest
        {
            Id = id,
            Name = name.Length <= TaskLimits.MaxNameLength ? name : name[..TaskLimits.MaxNameLength],
            Handler = PipelineLimits.ModelHandlerName,
            Queue = stageQueue,
            Priority = pipeline.Priority,
            ParentId = pipeline.TaskId,
            Tenant = pipeline.Tenant,
            MaxAttempts = 1,
            Timeout = stageTimeout,
            Input = JsonSerializer.Serialize(
                new ModelPrompt { Model = model.Id, Prompt = prompt, Instructions = instructions, MaxOutputTokens = stage.MaxOutputTokens },
                TaskJson.Options),
        };

        lock (gate)
        {
            inFlight.Add(id);
        }

        try
        {
            try
            {
                // Never abandoned half-way: a submit that may have landed must be known, so that a stop cancels it.
                await orchestrator.SubmitAsync(request, CancellationToken.None);
            }
            catch (OeeException ex)
            {
                return new PipelineCall { TaskId = id, Model = model.Id, Role = role, Status = "refused", Error = ex.Message };
            }

            var task = await orchestrator.WaitAsync(id, cancellationToken);
            return Describe(task, model, role);
        }
        finally
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                lock (gate)
                {
                    inFlight.Remove(id);
                }
            }
        }
    }

    /// <summary>Cancels every stage task still in flight (the pipeline stops); finished ones are left alone.</summary>
    public async Task CancelInFlight()
    {
        string[] ids;
        lock (gate)
        {
            ids = [.. inFlight];
            inFlight.Clear();
        }

        await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                await orchestrator.CancelAsync(id, CancellationToken.None);
            }
            catch (OeeException)
            {
                // Already finished (409) or never stored (404): nothing to stop.
            }
        }));
    }

    private static PipelineCall Describe(TaskRecord task, ModelInfo model, PipelineCallRole role)
    {
        var call = new PipelineCall { TaskId = task.Id, Model = model.Id, Role = role, Status = task.Status.ToWireName() };
        if (task.Status != OeeTaskStatus.Done)
        {
            return call with { Error = task.Error?.Message ?? $"The stage task ended {task.Status.ToWireName()}." };
        }

        var reply = task.Result is null ? null : JsonSerializer.Deserialize<ModelReply>(task.Result, TaskJson.Options);
        return reply is null
            ? call with { Status = "error", Error = "The stage task answered no model reply." }
            : call with
            {
                Output = reply.Output,
                Latency = reply.Latency,
                InputTokens = reply.InputTokens,
                OutputTokens = reply.OutputTokens,
                Cost = reply.Cost,
            };
    }
}
