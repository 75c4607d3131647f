using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Errors;
using Oee.Grains.Handlers;
using Oee.Grains.Pipelines;
using Oee.Grains.Tests.Cluster;

namespace Oee.Grains.Tests.Pipelines;

/// <summary>
/// The runner over stage calls whose orchestrator is scripted (<see cref="ScriptedOrchestrator"/>): waits that fail as
/// no in-process cluster fails on demand, outputs that break their models' limits, and a maxTime on a fake clock.
/// </summary>
public sealed class PipelineRunnerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(Waiting.TaskSeconds);

    private static ModelInfo Model(string id, int maxOut = 100) => new()
    {
        Id = id,
        Kind = ModelKind.BuiltIn,
        Local = true,
        ExpectedLatency = TimeSpan.FromMilliseconds(1),
        Quality = id.Length / 10.0,
        Capabilities = ["x"],
        MaxOutputTokens = maxOut,
    };

    private static Task<string> Run(PipelineSpec spec, IOrchestrator orchestrator, TimeProvider? time = null, params ModelInfo[] models)
    {
        var plan = PipelinePlanner.Plan(spec, models.Length > 0 ? models : [Model("m")], 2).Plan!;
        var context = new TaskContext
        {
            TaskId = "pipeline", Name = "pipeline", Queue = "pipelines", Attempt = 1, Input = JsonSerializer.Serialize(spec, TaskJson.Options),
            Services = new ServiceCollection().BuildServiceProvider(), Time = time ?? TimeProvider.System,
        };
        return new PipelineRunner(plan, spec, new StageCalls(orchestrator, context, "pipeline-stages", TimeSpan.FromMinutes(1)), context).Run();
    }

    private static PipelineSpec TwoStages(TimeSpan? maxTime = null) => new()
    {
        Input = "hello",
        Strategy = PipelineStrategy.LocalFastPrecise,
        MaxTime = maxTime,
        Stages = [new PipelineStage { Name = "a", Capability = "x" }, new PipelineStage { Name = "b", Capability = "x", Input = "{{stages.a.output}}!" }],
    };

    private static PipelineResult ResultOf(TaskFailedWithResultException failed) => JsonSerializer.Deserialize<PipelineResult>(failed.ResultJson!, TaskJson.Options)!;

    private static bool IsStageB(SubmitTaskRequest request) => request.Name.EndsWith("/ b", StringComparison.Ordinal);

    [Fact]
    public async Task A_max_time_longer_than_a_timer_takes_in_one_go_is_waited_in_steps_and_still_stops_the_pipeline()
    {
        // 60 days: new CancellationTokenSource(maxTime, time) threw for anything past ~49.7 days, ending the pipeline at once.
        var clock = new FakeTimeProvider();
        var (orchestrator, script) = ScriptedOrchestrator.Start();
        script.Wait = (request, token) => IsStageB(request) ? ScriptedOrchestrator.Hang(token) : Task.FromResult(ScriptedOrchestrator.Echo(request));

        var run = Run(TwoStages(TimeSpan.FromDays(60)), orchestrator, clock);
        await Waiting.Until(() => script.Submitted.Count == 2 || run.IsCompleted, "stage b to start");
        Assert.False(run.IsCompleted, run.Exception?.InnerException?.Message);

        clock.Advance(TimeSpan.FromDays(50));
        await Task.Delay(50);
        Assert.False(run.IsCompleted);

        clock.Advance(TimeSpan.FromDays(10));
        var failed = await Assert.ThrowsAsync<TaskFailedWithResultException>(() => run.WaitAsync(Deadline));
        Assert.Equal(PipelineLimits.TimeoutErrorType, failed.ErrorType);
        Assert.Equal(["a"], ResultOf(failed).Stages.Select(s => s.Name));
        Assert.Equal(script.Submitted.Single(IsStageB).Id, Assert.Single(script.Cancelled));
    }

    [Fact]
    public async Task Outputs_that_would_render_a_prompt_past_the_limit_fail_the_stage_without_building_it()
    {
        // Stage a's model answered 1 MB, far past what its 100 tokens allow (the plan counted at most 800 bytes): 17
        // references to it would render 17 MB, past the 16 MiB limit.
        var (orchestrator, script) = ScriptedOrchestrator.Start();
        script.Wait = (request, _) => Task.FromResult(ScriptedOrchestrator.Done(request, new string('y', 1_000_000)));
        var spec = TwoStages() with { Stages = [TwoStages().Stages[0], TwoStages().Stages[1] with { Input = string.Concat(Enumerable.Repeat("{{stages.a.output}}", 17)) }] };

        var failed = await Assert.ThrowsAsync<TaskFailedWithResultException>(() => Run(spec, orchestrator));

        Assert.Equal(PipelineLimits.StageFailedErrorType, failed.ErrorType);
        Assert.Contains("17,000,000 bytes", failed.Message, StringComparison.Ordinal);
        Assert.Single(script.Submitted);
        Assert.Equal("b", ResultOf(failed).FailedStage);
    }

    [Fact]
    public async Task A_stage_task_the_engine_stays_unavailable_for_ends_the_pipeline_with_the_stages_done_and_cancels_it()
    {
        var (orchestrator, script) = ScriptedOrchestrator.Start();
        script.Wait = (request, _) => IsStageB(request)
            ? Task.FromException<TaskRecord>(new OeeClusterUnavailableException { RetryAfter = TimeSpan.FromMilliseconds(1) })
            : Task.FromResult(ScriptedOrchestrator.Echo(request));

        var failed = await Assert.ThrowsAsync<TaskFailedWithResultException>(() => Run(TwoStages(), orchestrator).WaitAsync(Deadline));

        var stageB = script.Submitted.Single(IsStageB).Id!;
        Assert.Equal(typeof(OeeClusterUnavailableException).FullName, failed.ErrorType);
        Assert.Contains("stage 'b'", failed.Message, StringComparison.Ordinal);
        Assert.Equal(StageCalls.MaxWaitRetries + 1, script.WaitsFor(stageB));
        Assert.Equal(stageB, Assert.Single(script.Cancelled));
        var result = ResultOf(failed);
        Assert.Equal(["hello"], result.Stages.Select(s => s.Output));
        Assert.False(result.Completed);
        Assert.Equal("b", result.FailedStage);
    }

    [Fact]
    public async Task A_short_outage_while_waiting_for_a_stage_task_is_ridden_out()
    {
        var (orchestrator, script) = ScriptedOrchestrator.Start();
        var failures = 0;
        script.Wait = (request, _) => IsStageB(request) && Interlocked.Increment(ref failures) <= 2
            ? Task.FromException<TaskRecord>(new OeeStorageUnavailableException { RetryAfter = TimeSpan.FromMilliseconds(1) })
            : Task.FromResult(ScriptedOrchestrator.Echo(request));

        var result = JsonSerializer.Deserialize<PipelineResult>(await Run(TwoStages(), orchestrator).WaitAsync(Deadline), TaskJson.Options)!;

        Assert.True(result.Completed);
        Assert.Equal("hello!", result.Output);
        Assert.Empty(script.Cancelled);
    }

    [Fact]
    public async Task A_stage_task_removed_while_an_ensemble_waits_ends_the_pipeline_and_cancels_the_other_member()
    {
        var (orchestrator, script) = ScriptedOrchestrator.Start();
        script.Wait = (request, token) => ScriptedOrchestrator.PromptOf(request).Model == "gone"
            ? Task.FromException<TaskRecord>(new OeeNotFoundException("task", request.Id!))
            : ScriptedOrchestrator.Hang(token);
        var spec = TwoStages() with { Strategy = PipelineStrategy.ParallelEnsemble, Stages = [TwoStages().Stages[0]] };

        // Before, the ensemble waited for its slowest member (here: forever) before the failure left it.
        var failed = await Assert.ThrowsAsync<TaskFailedWithResultException>(() => Run(spec, orchestrator, null, Model("gone"), Model("slow-one")).WaitAsync(Deadline));

        Assert.Equal(typeof(OeeNotFoundException).FullName, failed.ErrorType);
        var slow = script.Submitted.Single(r => ScriptedOrchestrator.PromptOf(r).Model == "slow-one").Id;
        Assert.Contains(slow, script.Cancelled);
        Assert.Empty(ResultOf(failed).Stages);
    }
}
