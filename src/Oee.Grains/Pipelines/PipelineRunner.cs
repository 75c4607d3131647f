using System.Globalization;
using System.Text;
using System.Text.Json;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Models;
using Oee.Grains.Time;

namespace Oee.Grains.Pipelines;

/// <summary>
/// Runs one attempt of a planned pipeline: stage after stage, each as model calls (child tasks) in the
/// plan's order, within maxTime and maxCost. Spent cost is the sum of the calls' real costs; a call
/// starts only when its model's worst-case cost for the actual prompt fits what is left of maxCost.
/// Ends with the result JSON, or throws <see cref="TaskFailedWithResultException"/> carrying the stages done so far,
/// having cancelled the stage tasks still in flight: when maxTime passes, a stage fails, or following a stage task fails
/// (the engine cannot answer for it after <see cref="StageCalls"/>' retries, or it was removed).
/// </summary>
internal sealed class PipelineRunner(PipelinePlan plan, PipelineSpec spec, StageCalls calls, TaskContext context)
{
    private readonly List<PipelineStageResult> done = [];
    private readonly Dictionary<string, string> outputs = new(StringComparer.Ordinal);
    private decimal spent;
    private int callCount;
    private int inputTokens;
    private int outputTokens;
    private DateTimeOffset startedAt;

    public async Task<string> Run()
    {
        var time = context.Time;
        startedAt = time.GetUtcNow();
        using var deadline = new LongTimeout(time, spec.MaxTime);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, deadline.Token);
        var current = plan.Stages[0];
        try
        {
            foreach (var stage in plan.Stages)
            {
                current = stage;
                var result = await RunStage(stage, stop.Token);
                done.Add(result);
                outputs[stage.Stage.Name] = result.Output;
            }

            return Serialize(completed: true, failedStage: null);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            await calls.CancelInFlight();
            throw new TaskFailedWithResultException(
                $"The pipeline ran longer than its maxTime ({spec.MaxTime:c}) during stage '{current.Stage.Name}': its running stage tasks were cancelled; the {done.Count} stage(s) done so far are in the result.",
                PipelineLimits.TimeoutErrorType,
                Serialize(completed: false, current.Stage.Name));
        }
        catch (OperationCanceledException)
        {
            // The pipeline task was cancelled: its stage tasks stop with it (the engine cancels them too).
            await calls.CancelInFlight();
            throw;
        }
        catch (StageFailedException failure)
        {
            throw new TaskFailedWithResultException(failure.Message, failure.ErrorType, Serialize(completed: false, current.Stage.Name));
        }
        catch (Exception failure) when (failure is not TaskFailedWithResultException)
        {
            // Following a stage task failed (the cluster or its storage stayed unavailable, the task was removed, ...):
            // whatever still runs for this pipeline is stopped, and what it did so far is kept.
            await calls.CancelInFlight();
            throw new TaskFailedWithResultException(
                $"The pipeline could not follow stage '{current.Stage.Name}': {failure.Message} Its running stage tasks were cancelled; the {done.Count} stage(s) done so far are in the result.",
                failure.GetType().FullName ?? failure.GetType().Name,
                Serialize(completed: false, current.Stage.Name));
        }
    }

    private async Task<PipelineStageResult> RunStage(StagePlan stage, CancellationToken cancellationToken)
    {
        var started = context.Time.GetUtcNow();
        var promptBytes = stage.Template.RenderedBytes(spec.Input, outputs) + Encoding.UTF8.GetByteCount(stage.Stage.Instructions ?? "");
        if (promptBytes > plan.MaxPromptBytes)
        {
            // Outputs longer than their models' limits allow (the plan bounds them so): never built.
            throw new StageFailedException(
                string.Create(CultureInfo.InvariantCulture, $"Stage '{stage.Stage.Name}' was not started: its prompt would render to {promptBytes:N0} bytes with the outputs of the stages before it, and a prompt may be at most {plan.MaxPromptBytes:N0} bytes."),
                PipelineLimits.StageFailedErrorType);
        }

        var prompt = stage.Template.Render(spec.Input, outputs);
        var made = new List<PipelineCall>();
        var (chosen, output) = stage.Ensemble
            ? await RunEnsemble(stage, prompt, made, cancellationToken)
            : await RunInOrder(stage, prompt, made, cancellationToken);
        return new PipelineStageResult
        {
            Name = stage.Stage.Name,
            Model = chosen,
            Output = output,
            Latency = context.Time.GetUtcNow() - started,
            InputTokens = made.Sum(c => c.InputTokens),
            OutputTokens = made.Sum(c => c.OutputTokens),
            Cost = made.Sum(c => c.Cost),
            Calls = [.. made],
        };
    }

    /// <summary>LOCAL_FAST_PRECISE, SEQUENTIAL_VALIDATION, COST_OPTIMIZED, QUALITY_FIRST: one model at a time, the next on failure or failed check.</summary>
    private async Task<(string Model, string Output)> RunInOrder(StagePlan stage, string prompt, List<PipelineCall> made, CancellationToken cancellationToken)
    {
        var overBudget = new List<string>();
        foreach (var model in stage.Candidates)
        {
            if (!Fits(model, stage, prompt))
            {
                overBudget.Add(model.Id);
                continue;
            }

            var call = await Call(model, stage, prompt, stage.Stage.Instructions, PipelineCallRole.Try, made, cancellationToken);
            if (call.Output is { } answer && await Check(stage, prompt, call, made, cancellationToken))
            {
                return (model.Id, answer);
            }
        }

        throw Failed(stage, made, overBudget);
    }

    /// <summary>PARALLEL_ENSEMBLE: every member at once (as many as the budget admits, in plan order); majority, else highest quality.</summary>
    private async Task<(string Model, string Output)> RunEnsemble(StagePlan stage, string prompt, List<PipelineCall> made, CancellationToken cancellationToken)
    {
        var members = new List<ModelInfo>();
        var overBudget = new List<string>();
        var reserved = 0m;
        foreach (var model in stage.Candidates)
        {
            var worst = WorstCase(model, stage, prompt);
            if (spec.MaxCost is { } max && SaturatingCost.Add(SaturatingCost.Add(spent, reserved), worst) > max)
            {
                overBudget.Add(model.Id);
                continue;
            }

            members.Add(model);
            reserved = SaturatingCost.Add(reserved, worst);
        }

        // A member that cannot be followed stops the others (they stay in flight, to be cancelled), so that its failure
        // ends the stage now rather than when the slowest member ends.
        using var together = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var results = await Task.WhenAll(members.Select(async m =>
        {
            try
            {
                return await calls.Call(m, stage.Stage, prompt, stage.Stage.Instructions, PipelineCallRole.EnsembleMember, together.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await together.CancelAsync();
                throw;
            }
        }));
        foreach (var call in results)
        {
            Record(call, made);
        }

        var passed = new List<(ModelInfo Model, string Output)>();
        for (var i = 0; i < members.Count; i++)
        {
            if (results[i].Output is { } answer && await Check(stage, prompt, results[i], made, cancellationToken))
            {
                passed.Add((members[i], answer));
            }
        }

        if (passed.Count == 0)
        {
            throw Failed(stage, made, overBudget);
        }

        // Majority: the output (compared after trimming) of the most members, when at least two agree and no other output has as many.
        var groups = passed.GroupBy(p => p.Output.Trim(), StringComparer.Ordinal).OrderByDescending(g => g.Count()).ToList();
        if (groups[0].Count() >= 2 && (groups.Count == 1 || groups[1].Count() < groups[0].Count()))
        {
            var first = groups[0].First();
            return (first.Model.Id, first.Output);
        }

        // Else the highest-quality success (members are in plan order, so ties go to the planner's order).
        var best = passed.OrderByDescending(p => p.Model.Quality).First();
        return (best.Model.Id, best.Output);
    }

    /// <summary>Whether the output of <paramref name="call"/> passes the stage's check (a validator model's call counts in the stage's calls and cost).</summary>
    private async Task<bool> Check(StagePlan stage, string prompt, PipelineCall call, List<PipelineCall> made, CancellationToken cancellationToken)
    {
        if (stage.Check is not { } check)
        {
            return true;
        }

        var index = made.FindLastIndex(c => c.TaskId == call.TaskId);
        string? problem;
        if (check.Kind == PipelineCheckKind.Model)
        {
            var validator = stage.Validator!;
            var question = OutputChecks.ValidatorPrompt(prompt, call.Output!);
            if (!Fits(validator, stage, question))
            {
                problem = $"validator '{validator.Id}' could not be called within what is left of maxCost";
            }
            else
            {
                var verdict = await Call(validator, stage, question, instructions: null, PipelineCallRole.Validator, made, cancellationToken);
                problem = verdict.Output is null ? $"validator '{validator.Id}' failed: {verdict.Error}"
                    : OutputChecks.Approves(verdict.Output) ? null
                    : $"validator '{validator.Id}' did not approve it";
            }
        }
        else
        {
            problem = OutputChecks.Problem(check, call.Output!);
        }

        made[index] = made[index] with { CheckPassed = problem is null, Error = problem is null ? null : "check failed: " + problem };
        return problem is null;
    }

    private async Task<PipelineCall> Call(
        ModelInfo model,
        StagePlan stage,
        string prompt,
        string? instructions,
        PipelineCallRole role,
        List<PipelineCall> made,
        CancellationToken cancellationToken)
    {
        var call = await calls.Call(model, stage.Stage, prompt, instructions, role, cancellationToken);
        Record(call, made);
        return call;
    }

    private void Record(PipelineCall call, List<PipelineCall> made)
    {
        made.Add(call);
        spent += call.Cost;
        inputTokens += call.InputTokens;
        outputTokens += call.OutputTokens;
        callCount++;
    }

    private bool Fits(ModelInfo model, StagePlan stage, string prompt) =>
        spec.MaxCost is not { } max || SaturatingCost.Add(spent, WorstCase(model, stage, prompt)) <= max;

    /// <summary>The most a call can cost: its prompt and instructions as bytes (a token covers at least one), the overhead, and its output limit.</summary>
    private static decimal WorstCase(ModelInfo model, StagePlan stage, string prompt) =>
        SaturatingCost.Of(model.Pricing, AnswerBounds.MaxInputTokens(prompt, stage.Stage.Instructions), stage.OutputTokens(model));

    private StageFailedException Failed(StagePlan stage, List<PipelineCall> made, List<string> overBudget)
    {
        var name = stage.Stage.Name;
        if (made.Count == 0 && overBudget.Count > 0)
        {
            return new StageFailedException(
                string.Create(CultureInfo.InvariantCulture, $"Stage '{name}' was not started: the worst-case cost of every model it may use ({string.Join(", ", overBudget)}) passes what is left of maxCost {spec.MaxCost} ({spec.MaxCost - spent} of it left)."),
                PipelineLimits.BudgetErrorType);
        }

        var reasons = string.Join("; ", made.Where(c => c.Role != PipelineCallRole.Validator).Select(c => $"{c.Model}: {c.Error}"));
        var skipped = overBudget.Count > 0 ? $" Not started for the budget: {string.Join(", ", overBudget)}." : "";
        return new StageFailedException($"Stage '{name}' failed on every model it tried ({reasons}).{skipped}", PipelineLimits.StageFailedErrorType);
    }

    private string Serialize(bool completed, string? failedStage) => JsonSerializer.Serialize(
        new PipelineResult
        {
            Strategy = plan.Strategy,
            Stages = [.. done],
            Output = completed ? done[^1].Output : null,
            Completed = completed,
            TotalCost = spent,
            TotalInputTokens = inputTokens,
            TotalOutputTokens = outputTokens,
            TotalLatency = context.Time.GetUtcNow() - startedAt,
            Calls = callCount,
            FailedStage = failedStage,
        },
        TaskJson.Options);

    private sealed class StageFailedException(string message, string errorType) : Exception(message)
    {
        public string ErrorType { get; } = errorType;
    }
}
