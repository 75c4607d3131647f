using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Tests.Shared;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// Every strategy end to end against the fake OpenAI-compatible server (stage tasks call it over
/// HTTP on 127.0.0.1), budgets, cancellation; on both storages.
/// </summary>
public abstract class PipelineTests(PipelineClusterFixture fixture)
{
    private readonly IOrchestrator orchestrator = fixture.Orchestrator;
    private readonly FakeModelServer server = fixture.Server;

    private static PipelineRequest Pipeline(PipelineStrategy strategy, string input, params PipelineStage[] stages) => new()
    {
        Id = "pipe-" + Guid.NewGuid().ToString("N"),
        Name = "pipeline-test",
        Queue = "pipelines",
        Spec = new PipelineSpec { Input = input, Strategy = strategy, Stages = stages },
    };

    private static PipelineStage Stage(string name, string? capability = null, string? model = null, string? input = null, PipelineCheck? check = null) =>
        new() { Name = name, Capability = capability, ModelId = model, Input = input, Check = check };

    private async Task<PipelineTask> Run(PipelineRequest request)
    {
        var submitted = await orchestrator.SubmitPipelineAsync(request);
        Assert.True(submitted.Created);
        await orchestrator.WaitAsync(submitted.Task.Id);
        return await orchestrator.GetPipelineResultAsync(submitted.Task.Id);
    }

    private async Task<PipelineResult> Done(PipelineRequest request)
    {
        var pipeline = await Run(request);
        Assert.True(pipeline.Task.Status == OeeTaskStatus.Done, $"The pipeline ended {pipeline.Task.Status}: {pipeline.Task.Error?.Message}");
        Assert.True(pipeline.Result!.Completed);
        return pipeline.Result;
    }

    [Fact]
    public async Task Three_stages_chain_their_outputs_through_templates_and_add_up_their_costs()
    {
        var result = await Done(Pipeline(
            PipelineStrategy.LocalFastPrecise,
            "hello",
            Stage("a", model: "t-echo"),
            Stage("b", model: "t-upper", input: "x {{stages.a.output}}"),
            Stage("c", model: "t-echo", input: "{{stages.b.output}} and {{input}}")));

        Assert.Equal(["hello", "X HELLO", "X HELLO and hello"], result.Stages.Select(s => s.Output));
        Assert.Equal(["t-echo", "t-upper", "t-echo"], result.Stages.Select(s => s.Model));
        Assert.Equal("X HELLO and hello", result.Output);
        Assert.Equal(0.004m, result.TotalCost);
        Assert.Equal(result.Stages.Sum(s => s.InputTokens), result.TotalInputTokens);
        Assert.True(result.TotalInputTokens > 0 && result.TotalOutputTokens > 0);
        Assert.Equal(3, result.Calls);
        Assert.All(result.Stages, s => Assert.True(s.Latency > TimeSpan.Zero));
    }

    [Fact]
    public async Task Stages_are_child_tasks_listed_with_their_pipeline()
    {
        var request = Pipeline(PipelineStrategy.LocalFastPrecise, "kids", Stage("a", model: "t-echo"), Stage("b", model: "t-echo"));

        var result = await Done(request);

        var children = (await orchestrator.ListAsync(new TaskQuery { ParentId = request.Id })).Items;
        Assert.Equal(result.Stages.SelectMany(s => s.Calls).Select(c => c.TaskId).Order(), children.Select(c => c.Id).Order());
        Assert.All(children, c =>
        {
            Assert.Equal("model", c.Handler);
            Assert.Equal("pipeline-stages", c.Queue);
            Assert.Equal(OeeTaskStatus.Done, c.Status);
        });
    }

    [Fact]
    public async Task Local_fast_precise_falls_back_to_the_next_model_when_the_first_fails()
    {
        var result = await Done(Pipeline(PipelineStrategy.LocalFastPrecise, "rescue me", Stage("a", capability: "fallback")));

        var stage = Assert.Single(result.Stages);
        Assert.Equal("t-backup", stage.Model);
        Assert.Equal("RESCUE ME", stage.Output);
        Assert.Equal(["t-fail", "t-backup"], stage.Calls.Select(c => c.Model));
        Assert.Equal("error", stage.Calls[0].Status);
        Assert.NotNull(stage.Calls[0].Error);
    }

    [Fact]
    public async Task Parallel_ensemble_takes_the_majority_over_the_best_single_model()
    {
        var result = await Done(Pipeline(PipelineStrategy.ParallelEnsemble, "vote", Stage("a", capability: "vote")));

        var stage = Assert.Single(result.Stages);
        Assert.Equal("yes", stage.Output);
        Assert.Equal("t-yes-b", stage.Model);
        Assert.Equal(["no", "yes", "yes"], stage.Calls.Select(c => c.Output).Order());
        Assert.All(stage.Calls, c => Assert.Equal(PipelineCallRole.EnsembleMember, c.Role));
    }

    [Fact]
    public async Task Parallel_ensemble_without_a_majority_takes_the_highest_quality_success()
    {
        var result = await Done(Pipeline(PipelineStrategy.ParallelEnsemble, "colour", Stage("a", capability: "colour")));

        Assert.Equal("green", result.Output);
        Assert.Equal(3, result.Stages[0].Calls.Length);
    }

    [Fact]
    public async Task Sequential_validation_retries_a_failed_check_on_the_next_best_model()
    {
        var result = await Done(Pipeline(
            PipelineStrategy.SequentialValidation,
            "json please",
            Stage("a", capability: "json", check: new PipelineCheck { Kind = PipelineCheckKind.Json })));

        var stage = Assert.Single(result.Stages);
        Assert.Equal("[1,2]", stage.Output);
        Assert.Equal([false, true], stage.Calls.Select(c => c.CheckPassed));
        Assert.Equal(["t-notjson", "t-json"], stage.Calls.Select(c => c.Model));
    }

    [Fact]
    public async Task Sequential_validation_with_a_validator_model_that_refuses_fails_the_stage()
    {
        var pipeline = await Run(Pipeline(
            PipelineStrategy.SequentialValidation,
            "judge me",
            Stage("a", model: "t-echo", check: new PipelineCheck { Kind = PipelineCheckKind.Model, Model = "t-judge-no" })));

        Assert.Equal(OeeTaskStatus.Error, pipeline.Task.Status);
        Assert.Equal(PipelineLimits.StageFailedErrorType, pipeline.Task.Error!.Type);
        Assert.Equal("a", pipeline.Result!.FailedStage);
        Assert.Empty(pipeline.Result.Stages);
        Assert.Equal(2, pipeline.Result.Calls);
    }

    [Fact]
    public async Task Cost_optimized_takes_the_cheapest_capable_model_within_max_cost()
    {
        var request = Pipeline(PipelineStrategy.CostOptimized, "cheap", Stage("a", capability: "summarize"));
        var result = await Done(request with { Spec = request.Spec with { MaxCost = 1m } });

        Assert.Equal("t-echo", result.Stages[0].Model);
        Assert.Equal(0.001m, result.TotalCost);
    }

    [Fact]
    public async Task Cost_optimized_is_refused_at_submit_naming_the_stage_when_no_plan_fits()
    {
        var request = Pipeline(PipelineStrategy.CostOptimized, "x", Stage("a", model: "t-echo"), Stage("b", model: "t-pricey"));

        var invalid = await Assert.ThrowsAsync<OeeValidationException>(() => orchestrator.SubmitPipelineAsync(request with { Spec = request.Spec with { MaxCost = 1m } }));

        Assert.Equal("stages[1]", Assert.Single(invalid.Errors).Field);
        Assert.Null(await orchestrator.GetAsync(request.Id!));
    }

    [Fact]
    public async Task Quality_first_takes_the_best_model_and_stays_within_max_cost()
    {
        var best = await Done(Pipeline(PipelineStrategy.QualityFirst, "q", Stage("a", capability: "summarize")));
        var request = Pipeline(PipelineStrategy.QualityFirst, "q", Stage("a", capability: "summarize"));
        var bounded = await Done(request with { Spec = request.Spec with { MaxCost = 1m } });

        Assert.Equal("t-pricey", best.Stages[0].Model);
        Assert.Equal(5m, best.TotalCost);
        Assert.Equal("t-echo", bounded.Stages[0].Model);
    }

    [Fact]
    public async Task A_budget_that_runs_out_ends_the_pipeline_with_the_stages_done_and_never_passes_max_cost()
    {
        var request = Pipeline(PipelineStrategy.LocalFastPrecise, "budget", Stage("a", capability: "pricey"), Stage("b", capability: "pricey"));
        var before = server.RequestsFor("echo#pricey").Count;

        var pipeline = await Run(request with { Spec = request.Spec with { MaxCost = 0.015m } });

        // t-pricey (local, fastest) costs 5: never started; t-cheap (0.01) runs stage a; stage b's 0.01 more would pass 0.015.
        Assert.Equal(before, server.RequestsFor("echo#pricey").Count);
        Assert.Equal(OeeTaskStatus.Error, pipeline.Task.Status);
        Assert.Equal(PipelineLimits.BudgetErrorType, pipeline.Task.Error!.Type);
        Assert.Equal("t-cheap", Assert.Single(pipeline.Result!.Stages).Model);
        Assert.Equal(0.01m, pipeline.Result.TotalCost);
        Assert.Equal("b", pipeline.Result.FailedStage);
    }

    [Fact]
    public async Task Max_time_cancels_the_running_stage_call_and_keeps_the_stages_done()
    {
        var request = Pipeline(PipelineStrategy.LocalFastPrecise, "late", Stage("a", model: "t-echo"), Stage("b", model: "t-hang-time"));

        var pipeline = await Run(request with { Spec = request.Spec with { MaxTime = TimeSpan.FromSeconds(10) } });

        Assert.Equal(OeeTaskStatus.Error, pipeline.Task.Status);
        Assert.Equal(PipelineLimits.TimeoutErrorType, pipeline.Task.Error!.Type);
        Assert.Equal("late", Assert.Single(pipeline.Result!.Stages).Output);
        Assert.Equal("b", pipeline.Result.FailedStage);
        var children = (await orchestrator.ListAsync(new TaskQuery { ParentId = request.Id })).Items;
        var hung = Assert.Single(children, c => c.Status != OeeTaskStatus.Done);
        Assert.Equal(OeeTaskStatus.Cancelled, (await orchestrator.WaitAsync(hung.Id)).Status);
        await server.WaitUntil(s => s.RequestsFor("hang#time").Count > 0 && s.RequestsFor("hang#time").All(r => r.Aborted), TimeSpan.FromSeconds(Waiting.TaskSeconds));
    }

    [Fact]
    public async Task A_max_time_longer_than_a_timer_takes_in_one_go_lets_the_stages_run()
    {
        // Past ~49.7 days the deadline's CancellationTokenSource threw: the pipeline ended error before any stage ran.
        var request = Pipeline(PipelineStrategy.LocalFastPrecise, "patient", Stage("a", model: "t-echo"));

        var result = await Done(request with { Spec = request.Spec with { MaxTime = TimeSpan.FromDays(60) } });

        Assert.Equal("patient", result.Output);
    }

    [Fact]
    public async Task A_stage_prompt_longer_than_a_task_input_may_be_is_refused_at_submit_naming_the_stage()
    {
        // Twice a 3,000-byte input: 6,001 bytes, past this cluster's Oee:MaxInputBytes (4,096), which the stage task's
        // submit would refuse; it was accepted (16 MiB was the only limit) and failed at run time.
        var request = Pipeline(PipelineStrategy.LocalFastPrecise, new string('x', 3000), Stage("a", model: "t-echo", input: "{{input}} {{input}}"));

        var refused = await Assert.ThrowsAsync<OeeValidationException>(() => orchestrator.SubmitPipelineAsync(request));

        var error = Assert.Single(refused.Errors);
        Assert.Equal("stages[0].input", error.Field);
        Assert.Contains("at most 4,096 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_running_pipeline_cancels_its_stage_task_and_aborts_the_http_call()
    {
        var request = Pipeline(PipelineStrategy.LocalFastPrecise, "stop", Stage("a", model: "t-hang-cancel"));
        var before = server.RequestsFor("hang#cancel").Count;
        await orchestrator.SubmitPipelineAsync(request);
        await server.WaitUntil(s => s.RequestsFor("hang#cancel").Count > before, TimeSpan.FromSeconds(Waiting.TaskSeconds));

        await orchestrator.CancelAsync(request.Id!);

        Assert.Equal(OeeTaskStatus.Cancelled, (await orchestrator.WaitAsync(request.Id!)).Status);
        var child = Assert.Single((await orchestrator.ListAsync(new TaskQuery { ParentId = request.Id })).Items);
        Assert.Equal(OeeTaskStatus.Cancelled, (await orchestrator.WaitAsync(child.Id)).Status);
        await server.WaitUntil(s => s.RequestsFor("hang#cancel").Skip(before).All(r => r.Aborted), TimeSpan.FromSeconds(Waiting.TaskSeconds));
    }

    [Fact]
    public async Task Submit_names_unknown_models_unserved_capabilities_and_a_stage_queue_equal_to_the_pipeline_queue()
    {
        var request = Pipeline(PipelineStrategy.LocalFastPrecise, "x", Stage("a", model: "nope"), Stage("b", capability: "teleport"));
        var sameQueue = Pipeline(PipelineStrategy.LocalFastPrecise, "x", Stage("a", model: "t-echo")) with { Queue = "pipeline-stages" };

        var invalid = await Assert.ThrowsAsync<OeeValidationException>(() => orchestrator.SubmitPipelineAsync(request));
        var queue = await Assert.ThrowsAsync<OeeValidationException>(() => orchestrator.SubmitPipelineAsync(sameQueue));

        Assert.Equal(["stages[0].modelId", "stages[1].capability"], invalid.Errors.Select(e => e.Field));
        Assert.Equal("queue", Assert.Single(queue.Errors).Field);
    }

    [Fact]
    public async Task The_result_of_a_task_that_is_not_a_pipeline_is_a_conflict_and_of_an_unknown_one_not_found()
    {
        var id = "plain-" + Guid.NewGuid().ToString("N");
        await orchestrator.SubmitAsync(new SubmitTaskRequest { Id = id, Name = "plain", Handler = "echo", Input = "1" });

        await Assert.ThrowsAsync<OeeConflictException>(() => orchestrator.GetPipelineResultAsync(id));
        await Assert.ThrowsAsync<OeeNotFoundException>(() => orchestrator.GetPipelineResultAsync("nope-" + id));
    }
}

[Collection(MemoryPipelineClusterCollection.Name)]
public sealed class PipelineTestsOnMemory(MemoryPipelineClusterFixture fixture) : PipelineTests(fixture);

[Collection(PostgresPipelineClusterCollection.Name)]
public sealed class PipelineTestsOnPostgres(PostgresPipelineClusterFixture fixture) : PipelineTests(fixture);
