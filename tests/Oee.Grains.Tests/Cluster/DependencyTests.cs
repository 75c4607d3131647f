using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Storage;
using Oee.Grains.Tasks;

namespace Oee.Grains.Tests.Cluster;

/// <summary>Dependencies and graphs. Runs on both storages: see <see cref="DependencyTestsOnMemory"/> and <see cref="DependencyTestsOnPostgres"/>.</summary>
public abstract class DependencyTests(ClusterFixture fixture)
{
    private const string Fail = "{\"message\":\"branch broke\"}";

    private IOrchestrator Orchestrator => fixture.Orchestrator;

    private static SubmitTaskRequest Task(string id, string queue, string handler = RecordingHandler.Name, string? input = null, params string[] dependsOn) => new()
    {
        Id = id,
        Name = id,
        Handler = handler,
        Queue = queue,
        Input = input ?? (handler == RecordingHandler.Name ? RecordingHandler.Instant : "{}"),
        DependsOn = dependsOn.Length == 0 ? null : dependsOn,
    };

    [Fact]
    public async Task A_diamond_submitted_in_one_batch_runs_each_task_after_its_dependencies_and_the_last_reads_their_results()
    {
        var queue = Waiting.Unique("diamond");
        var gate = BodyGates.New("diamond-root");
        var (a, b, c, d) = (Waiting.Unique("a"), Waiting.Unique("b"), Waiting.Unique("c"), Waiting.Unique("d"));

        // Given out of order; "#3" is tasks[3], the root.
        var results = await Orchestrator.SubmitBatchAsync(
        [
            Task(d, queue, DependencyResultsHandler.Name, null, b, c),
            Task(b, queue, dependsOn: "#3"),
            Task(c, queue, "echo", "\"from c\"", a),
            Task(a, queue, input: RecordingHandler.HeldBy(gate)),
        ]);

        Assert.All(results, r => Assert.Equal(SubmitStatus.Created, r.Status));
        Assert.Equal(OeeTaskStatus.Waiting, results[0].Task!.Status);
        Assert.Equal([b, c], results[0].Task!.PendingDependencies);
        Assert.Equal([a], results[1].Task!.DependsOn);

        // The root holds: nothing else may start.
        await Orchestrator.ForStatus(a, OeeTaskStatus.Running);
        Assert.Equal(new[] { b, c }.Order(), (await Orchestrator.GetAsync(a))!.Dependents.Order());
        Assert.Equal(OeeTaskStatus.Waiting, (await Orchestrator.GetAsync(b))!.Status);
        Assert.Equal(OeeTaskStatus.Waiting, (await Orchestrator.GetAsync(d))!.Status);
        Assert.True((await Orchestrator.GetSystemStatusAsync()).TaskCounts[OeeTaskStatus.Waiting] >= 3);

        BodyGates.Open(gate);
        var done = await Orchestrator.ForAllFinished([a, b, c, d]);
        Assert.All(done, t => Assert.Equal(OeeTaskStatus.Done, t.Status));
        var (ra, rb, rc, rd) = (done[0], done[1], done[2], done[3]);
        Assert.True(rb.StartedAt >= ra.CompletedAt && rc.StartedAt >= ra.CompletedAt);
        Assert.True(rd.StartedAt >= rb.CompletedAt && rd.StartedAt >= rc.CompletedAt);
        Assert.Equal([a, b], RecordingHandler.StartsOf(queue));

        // d's body saw b's result (its attempt number, 1) and c's (its input).
        var seen = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(rd.Result!)!;
        Assert.Equal([b, c], seen.Keys.Order());
        Assert.Equal(1, seen[b].GetInt32());
        Assert.Equal("from c", seen[c].GetString());
    }

    [Fact]
    public async Task A_retried_task_whose_dependencies_have_not_finished_waits_for_them_again()
    {
        // The root runs, held; its dependent is cancelled while it waits, then retried: it waits again, and runs
        // only once the root is done (before session 24 the retry queued it at once, and it ran before the root).
        var queue = Waiting.Unique("retry-waiting");
        var gate = BodyGates.New("retry-waiting");
        var root = (await Orchestrator.SubmitAsync(Task(Waiting.Unique("root"), queue, input: RecordingHandler.HeldBy(gate)))).Task.Id;
        await Orchestrator.ForStatus(root, OeeTaskStatus.Running);
        var dependent = (await Orchestrator.SubmitAsync(Task(Waiting.Unique("dependent"), queue, dependsOn: root))).Task.Id;
        await Orchestrator.CancelAsync(dependent);

        var retried = await Orchestrator.RetryAsync(dependent);
        Assert.Equal(OeeTaskStatus.Waiting, retried.Status);
        Assert.Equal([root], retried.PendingDependencies);
        Assert.Equal(OeeTaskStatus.Waiting, (await Orchestrator.GetAsync(dependent))!.Status);
        Assert.Equal([root], RecordingHandler.StartsOf(queue));

        BodyGates.Open(gate);
        var done = await Orchestrator.ForStatus(dependent, OeeTaskStatus.Done);
        Assert.Empty(done.PendingDependencies);
        Assert.Equal([root, dependent], RecordingHandler.StartsOf(queue));
    }

    [Fact]
    public async Task A_retried_task_cancelled_by_a_failed_dependency_is_cancelled_again_while_that_dependency_stays_failed()
    {
        // Retried alone it is cancelled again by the same failed dependency (retry that one first), and never runs.
        var queue = Waiting.Unique("retry-failed-dependency");
        var flaky = Waiting.Unique("flaky");
        var dependency = (await Orchestrator.SubmitAsync(Task(flaky, queue, "fail", Fail) with { MaxAttempts = 1 })).Task.Id;
        await Orchestrator.ForStatus(dependency, OeeTaskStatus.Error);
        var dependent = (await Orchestrator.SubmitAsync(Task(Waiting.Unique("dependent"), queue, dependsOn: dependency))).Task.Id;
        Assert.Equal(TaskDependencies.FailedType, (await Orchestrator.ForStatus(dependent, OeeTaskStatus.Cancelled)).Error!.Type);

        var alone = await Orchestrator.RetryAsync(dependent);
        Assert.Equal(OeeTaskStatus.Cancelled, alone.Status);
        Assert.Equal(TaskDependencies.FailedType, alone.Error!.Type);
        Assert.DoesNotContain(dependent, RecordingHandler.StartsOf(queue));
    }

    [Fact]
    public async Task A_failing_branch_cancels_its_dependents_down_the_chain_with_a_reason_naming_the_dependency()
    {
        var queue = Waiting.Unique("failing");
        var (a, b, c, d, e) = (Waiting.Unique("a"), Waiting.Unique("b"), Waiting.Unique("c"), Waiting.Unique("d"), Waiting.Unique("e"));
        var results = await Orchestrator.SubmitBatchAsync(
        [
            Task(a, queue),
            Task(b, queue, "fail", Fail, a),
            Task(c, queue, dependsOn: a),
            Task(d, queue, dependsOn: [b, c]),
            Task(e, queue, dependsOn: d),
        ]);
        Assert.All(results, r => Assert.Equal(SubmitStatus.Created, r.Status));

        var finished = await Orchestrator.ForAllFinished([a, b, c, d, e]);

        Assert.Equal(
            [OeeTaskStatus.Done, OeeTaskStatus.Error, OeeTaskStatus.Done, OeeTaskStatus.Cancelled, OeeTaskStatus.Cancelled],
            finished.Select(t => t.Status));
        Assert.Equal(TaskDependencies.FailedType, finished[3].Error!.Type);
        Assert.Contains($"'{b}' ended error", finished[3].Error!.Message, StringComparison.Ordinal);
        Assert.Contains($"'{d}' ended cancelled", finished[4].Error!.Message, StringComparison.Ordinal);
        Assert.Equal(0, finished[3].Attempt);
        Assert.DoesNotContain(d, RecordingHandler.StartsOf(queue));
        Assert.DoesNotContain(e, RecordingHandler.StartsOf(queue));
    }

    [Fact]
    public async Task With_run_on_dependency_failure_a_task_runs_anyway_and_sees_only_the_done_results()
    {
        var queue = Waiting.Unique("anyway");
        var (ok, broken, after) = (Waiting.Unique("ok"), Waiting.Unique("broken"), Waiting.Unique("after"));
        var results = await Orchestrator.SubmitBatchAsync(
        [
            Task(ok, queue, "echo", "7"),
            Task(broken, queue, "fail", Fail),
            Task(after, queue, DependencyResultsHandler.Name, null, ok, broken) with { RunOnDependencyFailure = true },
        ]);
        Assert.True(results[2].Task!.RunOnDependencyFailure);

        var done = await Orchestrator.ForStatus(after, OeeTaskStatus.Done);

        Assert.Equal(OeeTaskStatus.Error, (await Orchestrator.GetAsync(broken))!.Status);
        Assert.Equal($"{{\"{ok}\":7}}", done.Result);
    }

    [Fact]
    public async Task Cancelling_a_waiting_task_is_immediate_and_cancels_its_own_dependents()
    {
        var queue = Waiting.Unique("cancel-waiting");
        var gate = BodyGates.New("cancel-waiting");
        var root = (await Orchestrator.SubmitAsync(Task(Waiting.Unique("root"), queue, input: RecordingHandler.HeldBy(gate)))).Task.Id;
        var middle = (await Orchestrator.SubmitAsync(Task(Waiting.Unique("middle"), queue, dependsOn: root))).Task;
        var last = (await Orchestrator.SubmitAsync(Task(Waiting.Unique("last"), queue, dependsOn: middle.Id))).Task;
        Assert.Equal(OeeTaskStatus.Waiting, middle.Status);
        Assert.Equal(OeeTaskStatus.Waiting, last.Status);

        var cancelled = await Orchestrator.CancelAsync(middle.Id);

        Assert.Equal(CancelStatus.Cancelled, cancelled.Status);
        Assert.Equal(OeeTaskStatus.Cancelled, cancelled.Task!.Status);
        var lastEnd = await Orchestrator.ForStatus(last.Id, OeeTaskStatus.Cancelled);
        Assert.Contains($"'{middle.Id}' ended cancelled", lastEnd.Error!.Message, StringComparison.Ordinal);

        // The root finishing later changes nothing for them.
        BodyGates.Open(gate);
        await Orchestrator.ForStatus(root, OeeTaskStatus.Done);
        Assert.Equal(OeeTaskStatus.Cancelled, (await Orchestrator.GetAsync(middle.Id))!.Status);
        Assert.Equal([root], RecordingHandler.StartsOf(queue));
    }

    [Fact]
    public async Task A_dependency_already_finished_at_submit_counts_at_once()
    {
        var queue = Waiting.Unique("finished-first");
        var done = (await Orchestrator.SubmitAsync(Task(Waiting.Unique("done"), queue, "echo", "1"))).Task.Id;
        var failed = (await Orchestrator.SubmitAsync(Task(Waiting.Unique("failed"), queue, "fail", Fail))).Task.Id;
        await Orchestrator.ForAllFinished([done, failed]);

        var ready = await Orchestrator.SubmitAsync(Task(Waiting.Unique("ready"), queue, "echo", "2", done));
        var doomed = await Orchestrator.SubmitAsync(Task(Waiting.Unique("doomed"), queue, "echo", "3", done, failed));

        Assert.NotEqual(OeeTaskStatus.Waiting, ready.Task.Status);
        Assert.Empty(ready.Task.PendingDependencies);
        await Orchestrator.ForStatus(ready.Task.Id, OeeTaskStatus.Done);
        Assert.Equal(OeeTaskStatus.Cancelled, doomed.Task.Status);
        Assert.Contains($"'{failed}' ended error", doomed.Task.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dependents_whose_dependency_is_done_at_submit_each_start_once_in_one_attempt()
    {
        // Dispatched by their enqueue's answer, they are stored already running (one write): each body runs once.
        var queue = Waiting.Unique("ready-at-submit");
        var done = (await Orchestrator.SubmitAsync(Task(Waiting.Unique("done"), queue, "echo", "1"))).Task.Id;
        await Orchestrator.ForStatus(done, OeeTaskStatus.Done);

        var submitted = await SubmitTwentyDependents(queue, "ready", done);
        Assert.All(submitted, s => Assert.True(s.Created));
        Assert.All(submitted, s => Assert.NotEqual(OeeTaskStatus.Waiting, s.Task.Status));

        var finished = await Orchestrator.ForAllFinished(submitted.Select(s => s.Task.Id));
        Assert.All(finished, t => Assert.Equal((OeeTaskStatus.Done, 1), (t.Status, t.Attempt)));
        Assert.Equal(20, RecordingHandler.StartsOf(queue).Count);
        Assert.Equal(20, RecordingHandler.StartsOf(queue).Distinct().Count());
        Assert.Equal(21, (await Orchestrator.GetQueueAsync(queue)).Started);
    }

    [Fact]
    public async Task Dependents_made_ready_by_their_dependency_finishing_each_start_once_in_one_attempt()
    {
        // Waiting when submitted; the root's end makes each ready, dispatched by its enqueue's answer and stored running in one write.
        var queue = Waiting.Unique("ready-later");
        var gate = BodyGates.New("ready-later");
        var root = (await Orchestrator.SubmitAsync(Task(Waiting.Unique("root"), queue, RecordingHandler.Name, RecordingHandler.HeldBy(gate)))).Task.Id;
        var submitted = await SubmitTwentyDependents(queue, "later", root);
        Assert.All(submitted, s => Assert.Equal(OeeTaskStatus.Waiting, s.Task.Status));

        BodyGates.Open(gate);
        var finished = await Orchestrator.ForAllFinished(submitted.Select(s => s.Task.Id));
        Assert.All(finished, t => Assert.Equal((OeeTaskStatus.Done, 1), (t.Status, t.Attempt)));
        var starts = RecordingHandler.StartsOf(queue);
        Assert.Equal(21, starts.Count);
        Assert.Equal(21, starts.Distinct().Count());
        Assert.Equal(root, starts[0]);
        Assert.Equal(21, (await Orchestrator.GetQueueAsync(queue)).Started);
    }

    /// <summary>Twenty recording tasks that depend on <paramref name="dependency"/>, submitted at once.</summary>
    private Task<SubmittedTask[]> SubmitTwentyDependents(string queue, string prefix, string dependency) =>
        System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 20)
            .Select(i => Orchestrator.SubmitAsync(Task(Waiting.Unique($"{prefix}-{i}"), queue, RecordingHandler.Name, null, dependency))));

    [Fact]
    public async Task An_unknown_dependency_is_refused_naming_it_and_nothing_is_submitted()
    {
        var queue = Waiting.Unique("unknown");
        var missing = Waiting.Unique("missing");
        var id = Waiting.Unique("orphan");

        var single = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitAsync(Task(id, queue, dependsOn: missing)));
        Assert.Equal("dependsOn", Assert.Single(single.Errors).Field);
        Assert.Contains(missing, single.Errors[0].Message, StringComparison.Ordinal);
        Assert.Null(await Orchestrator.GetAsync(id));

        var first = Waiting.Unique("first");
        var batch = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitBatchAsync([Task(first, queue), Task(id, queue, dependsOn: ["#0", missing])]));
        Assert.Equal("tasks[1].dependsOn", Assert.Single(batch.Errors).Field);
        Assert.Contains(missing, batch.Errors[0].Message, StringComparison.Ordinal);
        Assert.Null(await Orchestrator.GetAsync(first));
    }

    [Fact]
    public async Task A_cycle_in_a_batch_is_refused_naming_it_and_nothing_is_submitted()
    {
        var queue = Waiting.Unique("cycle");
        var (a, b, c) = (Waiting.Unique("a"), Waiting.Unique("b"), Waiting.Unique("c"));

        var refused = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitBatchAsync(
            [Task(a, queue, dependsOn: c), Task(b, queue, dependsOn: a), Task(c, queue, dependsOn: b)]));

        var error = Assert.Single(refused.Errors);
        Assert.Equal("tasks[0].dependsOn", error.Field);
        Assert.Contains($"{a} → {c} → {b} → {a}", error.Message, StringComparison.Ordinal);
        Assert.Null(await Orchestrator.GetAsync(a));

        // A direct caller of the batch grain gets the same refusal on every task, and nothing is submitted.
        var direct = await fixture.Cluster.Client.GetGrain<IBatchSubmitGrain>(0).Submit(
            [Task(a, queue, dependsOn: b), Task(b, queue, dependsOn: a)]);
        Assert.All(direct, r => Assert.Equal(SubmitStatus.Invalid, r.Status));
        Assert.Null(await Orchestrator.GetAsync(b));
    }

    [Fact]
    public async Task A_fan_out_of_a_thousand_goes_in_one_batch_and_runs_once_its_root_is_done()
    {
        var queue = Waiting.Unique("fan-out");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 2 * ClusterFixture.SlotsPerSilo });
        var gate = BodyGates.New("fan-out-root");
        var requests = new[] { new SubmitTaskRequest { Name = "root", Handler = RecordingHandler.Name, Queue = queue, Input = RecordingHandler.HeldBy(gate) } }
            .Concat(Enumerable.Range(1, TaskLimits.MaxBatchSize - 1).Select(i => new SubmitTaskRequest { Name = $"leaf-{i}", Handler = "echo", Queue = queue, Input = $"{i}", DependsOn = ["#0"] }))
            .ToArray();

        var results = await Orchestrator.SubmitBatchAsync(requests);

        Assert.All(results, r => Assert.Equal(SubmitStatus.Created, r.Status));
        Assert.All(results.Skip(1), r => Assert.Equal(OeeTaskStatus.Waiting, r.Task!.Status));
        var root = results[0].Id;
        await Orchestrator.ForStatus(root, OeeTaskStatus.Running);
        Assert.Equal(TaskLimits.MaxBatchSize - 1, (await Orchestrator.GetAsync(root))!.Dependents.Length);
        Assert.Equal(1, (await Orchestrator.GetQueueAsync(queue)).Enqueued);

        BodyGates.Open(gate);
        await Waiting.Until(async () => (await Orchestrator.GetQueueAsync(queue)).Finished == TaskLimits.MaxBatchSize, "the fan-out to finish", Waiting.AllSeconds);
        var leaf = await Orchestrator.GetAsync(results[^1].Id);
        Assert.Equal(OeeTaskStatus.Done, leaf!.Status);
        Assert.True(leaf.StartedAt >= (await Orchestrator.GetAsync(root))!.CompletedAt);
    }

    [Fact]
    public async Task A_lost_finish_message_is_made_good_by_the_dependency_sweep()
    {
        // As if a silo died between the dependency finishing and telling its dependent: a waiting
        // record whose dependency is done and will never send it a message.
        var queue = Waiting.Unique("lost");
        var done = (await Orchestrator.SubmitAsync(Task(Waiting.Unique("done"), queue, "echo", "1"))).Task.Id;
        await Orchestrator.ForStatus(done, OeeTaskStatus.Done);
        var orphan = Waiting.Unique("orphan");
        var store = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<ITaskStore>();
        await store.Write(fixture.Cluster.Client.GetGrain<ITaskGrain>(orphan).GetGrainId(), new TaskRecord
        {
            Id = orphan,
            Name = "orphan",
            Handler = "echo",
            Queue = queue,
            Priority = 5,
            Input = "2",
            Status = OeeTaskStatus.Waiting,
            CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            DependsOn = [done],
            PendingDependencies = [done],
            MaxAttempts = 3,
            Version = 1,
        }, etag: null);

        var ran = await Orchestrator.ForStatus(orphan, OeeTaskStatus.Done);
        Assert.Equal("2", ran.Result);
    }

    [Fact]
    public async Task Resubmitting_a_dependent_is_idempotent_and_other_dependencies_are_a_conflict()
    {
        var queue = Waiting.Unique("again");
        var gate = BodyGates.New("again");
        var root = (await Orchestrator.SubmitAsync(Task(Waiting.Unique("root"), queue, input: RecordingHandler.HeldBy(gate)))).Task.Id;
        var other = (await Orchestrator.SubmitAsync(Task(Waiting.Unique("other"), queue, "echo", "1"))).Task.Id;
        var request = Task(Waiting.Unique("dependent"), queue, "echo", "2", root, other);

        Assert.True((await Orchestrator.SubmitAsync(request)).Created);
        var again = await Orchestrator.SubmitAsync(request with { DependsOn = [other, root] });
        Assert.False(again.Created);
        await Assert.ThrowsAsync<OeeConflictException>(() => Orchestrator.SubmitAsync(request with { DependsOn = [root] }));
        Assert.Single((await Orchestrator.GetAsync(root))!.Dependents);

        BodyGates.Open(gate);
        await Orchestrator.ForStatus(request.Id!, OeeTaskStatus.Done);
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class DependencyTestsOnMemory(MemoryClusterFixture fixture) : DependencyTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class DependencyTestsOnPostgres(PostgresClusterFixture fixture) : DependencyTests(fixture);
