using System.Text.Json;
using Microsoft.Extensions.Options;
using Oee.Grains.Client;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Models;

namespace Oee.Grains.Pipelines;

/// <summary>
/// <c>pipeline</c>: input a <see cref="PipelineSpec"/> (JSON), result a <see cref="PipelineResult"/>.
/// Plans with the silo's model catalog, then runs every model call as a child task (handler
/// <c>model</c>) in the stage queue. The input is planned at submit too: an unknown model, a
/// capability nobody serves or a budget no plan fits refuses the submit, naming the stage. A stage's prompt may render
/// to at most <see cref="PipelineLimits.MaxPromptBytes"/>, and no more than a stage task's input may be
/// (<see cref="OeeOptions.MaxInputBytes"/>): a longer one would be refused when its stage task is submitted.
/// </summary>
internal sealed class PipelineHandler(IModelCatalog catalog, IOrchestrator orchestrator, IOptions<OeePipelineOptions> options, IOptions<OeeOptions> engine) : ITaskHandler
{
    /// <inheritdoc />
    public async Task<string?> ExecuteAsync(TaskContext context)
    {
        var spec = Read(context.Input, out var problem) ?? throw new TaskBodyFailedException(problem!);
        var stageQueue = spec.StageQueue ?? options.Value.StageQueue;
        if (string.Equals(stageQueue, context.Queue, StringComparison.Ordinal))
        {
            throw new TaskBodyFailedException(
                $"The pipeline runs in queue '{context.Queue}', which is also its stage queue: its stage tasks could wait forever behind pipelines holding the queue's slots. Give the pipeline another queue or another stageQueue.");
        }

        var outcome = Plan(spec);
        if (outcome.Plan is not { } plan)
        {
            // The catalog changed since the submit.
            throw new TaskBodyFailedException("The pipeline cannot be planned with this silo's model catalog: " + Describe(outcome.Errors));
        }

        var calls = new StageCalls(orchestrator, context, stageQueue, spec.StageTimeout ?? options.Value.StageTimeout);
        if (context.Attempt > 1)
        {
            await CancelLeftovers(context);
        }

        return await new PipelineRunner(plan, spec, calls, context).Run();
    }

    /// <inheritdoc />
    public string? ValidateInput(string? input)
    {
        var spec = Read(input, out var problem);
        if (spec is null)
        {
            return problem;
        }

        var outcome = Plan(spec);
        return outcome.Errors.Count == 0 ? null : Describe(outcome.Errors);
    }

    /// <summary>The field errors of a spec for this silo (its catalog and options), the pipeline's own queue included.</summary>
    public FieldError[] Check(PipelineSpec spec, string queue)
    {
        var errors = Plan(spec).Errors.ToList();
        if (string.Equals(spec.StageQueue ?? options.Value.StageQueue, queue, StringComparison.Ordinal))
        {
            errors.Add(new FieldError(
                spec.StageQueue is null ? "queue" : "stageQueue",
                $"The pipeline's queue and its stage queue are both '{queue}': pipelines holding every slot of a queue would starve their own stage tasks. Use another queue."));
        }

        return [.. errors];
    }

    private PlanOutcome Plan(PipelineSpec spec) =>
        PipelinePlanner.Plan(spec, catalog.Models, options.Value.EnsembleSize, Math.Min(PipelineLimits.MaxPromptBytes, engine.Value.MaxInputBytes));

    /// <summary>Stage tasks of an earlier attempt (its silo died) still running: cancelled, this attempt starts the stages afresh.</summary>
    private async Task CancelLeftovers(TaskContext context)
    {
        string? cursor = null;
        do
        {
            var page = await orchestrator.ListAsync(new TaskQuery { ParentId = context.TaskId, Tenant = context.Tenant, Limit = TaskQuery.MaxLimit, Cursor = cursor }, context.CancellationToken);
            foreach (var child in page.Items.Where(c => !c.Status.IsFinal()))
            {
                try
                {
                    await orchestrator.CancelAsync(child.Id, context.CancellationToken);
                }
                catch (OeeException)
                {
                    // Finished meanwhile.
                }
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    private static PipelineSpec? Read(string? input, out string? problem)
    {
        problem = null;
        try
        {
            var spec = input is null ? null : JsonSerializer.Deserialize<PipelineSpec>(input, TaskJson.Options);
            if (spec is null)
            {
                problem = "this handler needs a pipeline as input: {\"input\": \"...\", \"strategy\": \"...\", \"stages\": [{\"name\": \"...\", \"capability\": \"...\"}]}.";
            }

            return spec;
        }
        catch (JsonException ex)
        {
            problem = $"this handler needs a pipeline as input: {ex.Message}";
            return null;
        }
    }

    private static string Describe(IEnumerable<FieldError> errors) => string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}"));
}
