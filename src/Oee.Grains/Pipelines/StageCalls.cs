using System.Text.Json;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Errors;
using Oee.Grains.Handlers;
using Oee.Grains.Models;

namespace Oee.Grains.Pipelines;

/// <summary>
/// Runs model calls as child tasks of a pipeline (handler <c>model</c>, in the stage queue, parent =
/// the pipeline) and waits for each without polling; remembers the ones in flight so that a pipeline
/// that stops (maxTime, cancel, a stage task it cannot follow) cancels them, and with them their HTTP calls.
/// Waiting rides out a short outage: when the cluster or its storage is unavailable, it asks again after
/// the exception's <see cref="OeeUnavailableException.RetryAfter"/> (at most <see cref="MaxWaitRetryDelay"/>), up to
/// <see cref="MaxWaitRetries"/> times, the pipeline's own token (its maxTime) still in force; then, or on any other
/// failure (the task was removed), the exception leaves and the task stays in flight, for the runner to cancel.
/// </summary>
internal sealed class StageCalls(IOrchestrator orchestrator, TaskContext pipeline, string stageQueue, TimeSpan stageTimeout)
{
    /// <summary>How many times a wait is asked again after the engine was unavailable.</summary>
    public const int MaxWaitRetries = 10;

    /// <summary>The longest pause before asking again: an outage of about a minute is ridden out.</summary>
    public static readonly TimeSpan MaxWaitRetryDelay = TimeSpan.FromSeconds(5);

    private readonly Lock gate = new();
    private readonly HashSet<string> inFlight = new(StringComparer.Ordinal);

    /// <summary>
    /// Calls <paramref name="model"/> once as a stage task and answers how it went (a failed or refused call is a call, not
    /// an exception); throws when the task cannot be followed to its end (see the type's remarks).
    /// </summary>
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
            // Never abandoned half-way: a submit that may have landed must be known, so that a stop cancels it.
            await orchestrator.SubmitAsync(request, CancellationToken.None);
        }
        catch (OeeException ex)
        {
            if (ex is not OeeUnavailableException)
            {
                // Refused: nothing was stored. An unavailable engine may have stored it: a stop still cancels it.
                lock (gate)
                {
                    inFlight.Remove(id);
                }
            }

            return new PipelineCall { TaskId = id, Model = model.Id, Role = role, Status = "refused", Error = ex.Message };
        }

        // Until it is final, the task stays in flight: a stop, or a wait that fails, cancels it.
        var task = await WaitFor(id, cancellationToken);
        lock (gate)
        {
            inFlight.Remove(id);
        }

        return Describe(task, model, role);
    }

    /// <summary>The task once final, asking again while the engine is unavailable (see the type's remarks).</summary>
    private async Task<TaskRecord> WaitFor(string id, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                return await orchestrator.WaitAsync(id, cancellationToken);
            }
            catch (OeeUnavailableException unavailable) when (retry < MaxWaitRetries)
            {
                var pause = TimeSpan.FromTicks(Math.Clamp(unavailable.RetryAfter.Ticks, 0, MaxWaitRetryDelay.Ticks));
                await Task.Delay(pause, pipeline.Time, cancellationToken);
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
