using System.Diagnostics;
using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>Queue quotas on a real cluster, on both storages: see <see cref="QueueQuotaTestsOnMemory"/> and <see cref="QueueQuotaTestsOnPostgres"/>.</summary>
public abstract class QueueQuotaTests(ClusterFixture fixture)
{
    private IOrchestrator Orchestrator => fixture.Orchestrator;

    [Fact]
    public async Task A_full_queue_refuses_a_submit_whole_and_a_batch_item_by_item()
    {
        var queue = Waiting.Unique("full");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 1, MaxPending = 3 });
        var gate = BodyGates.New("full");
        var blocker = await Submit(queue, "blocker", RecordingHandler.HeldBy(gate));
        await Orchestrator.ForStatus(blocker, OeeTaskStatus.Running);
        var waiting = new List<string> { await Submit(queue, "w0", RecordingHandler.Instant), await Submit(queue, "w1", RecordingHandler.Instant) };

        // One place left: a batch of three gets one in (whichever arrives first), the other two are refused one by one.
        var batch = await Orchestrator.SubmitBatchAsync([.. Enumerable.Range(0, 3).Select(i => Request(queue, $"b{i}", RecordingHandler.Instant))]);
        batch = [.. batch.OrderBy(r => r.Status == SubmitStatus.QueueFull)];
        Assert.Equal([SubmitStatus.Created, SubmitStatus.QueueFull, SubmitStatus.QueueFull], batch.Select(r => r.Status));
        Assert.All(batch.Skip(1), r =>
        {
            Assert.Equal(TimeSpan.FromSeconds(1), r.RetryAfter);
            Assert.Contains("is full", r.Failure, StringComparison.Ordinal);
            Assert.Null(r.Task);
        });
        waiting.Add(batch[0].Id);

        var refusedId = Waiting.Unique("refused");
        var full = await Assert.ThrowsAsync<OeeQueueFullException>(() => Orchestrator.SubmitAsync(Request(queue, "refused", RecordingHandler.Instant) with { Id = refusedId }));
        Assert.Equal(queue, full.Queue);
        Assert.Equal(TimeSpan.FromSeconds(1), full.RetryAfter);
        Assert.Contains("maxPending", full.Message, StringComparison.Ordinal);

        // Nothing of a refused task was stored or indexed.
        foreach (var id in batch.Skip(1).Select(r => r.Id).Append(refusedId))
        {
            Assert.Null(await Orchestrator.GetAsync(id));
        }

        var listed = await Orchestrator.ListAsync(new TaskQuery { Queue = queue, Limit = 100 });
        Assert.Equal(waiting.Append(blocker).Order(), listed.Items.Select(t => t.Id).Order());
        var status = await Orchestrator.GetQueueAsync(queue);
        Assert.Equal((3, 1, 3), (status.Pending, status.Running, status.MaxPending));

        // Places free up as tasks start: the refused task goes through with the same id.
        BodyGates.Open(gate);
        await Orchestrator.ForAllFinished(waiting);
        var resubmitted = await Orchestrator.SubmitAsync(Request(queue, "refused", RecordingHandler.Instant) with { Id = refusedId });
        Assert.True(resubmitted.Created);
        Assert.Equal(OeeTaskStatus.Done, (await Orchestrator.ForAllFinished([refusedId])).Single().Status);
    }

    [Fact]
    public async Task A_full_queue_refuses_a_task_whose_dependencies_are_all_done_as_it_refuses_any_submit()
    {
        // Such a task enters its queue at its submit, as a plain one does (it entered admitted: a producer could fill a
        // capped queue past maxPending by naming a finished task in dependsOn).
        var root = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "root", Handler = "echo", Input = "1" })).Task.Id;
        await Orchestrator.ForStatus(root, OeeTaskStatus.Done);
        var queue = Waiting.Unique("full-deps");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = true, MaxPending = 1 });
        await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "first", Handler = "echo", Queue = queue, Input = "1" });

        var id = Waiting.Unique("after-root");
        var full = await Assert.ThrowsAsync<OeeQueueFullException>(() => Orchestrator.SubmitAsync(new SubmitTaskRequest { Id = id, Name = "dep", Handler = "echo", Queue = queue, Input = "1", DependsOn = [root] }));

        Assert.Equal(queue, full.Queue);
        Assert.Null(await Orchestrator.GetAsync(id));
        Assert.Equal(1, (await Orchestrator.GetQueueAsync(queue)).Pending);

        // With room again, the same submit is accepted and runs.
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { Paused = false, MaxPending = 0 });
        var accepted = await Orchestrator.SubmitAsync(new SubmitTaskRequest { Id = id, Name = "dep", Handler = "echo", Queue = queue, Input = "1", DependsOn = [root] });
        Assert.True(accepted.Created);
        await Orchestrator.ForStatus(id, OeeTaskStatus.Done);
    }

    [Fact]
    public async Task One_tenant_with_a_long_backlog_never_runs_more_than_its_limit_and_never_holds_back_the_others()
    {
        var queue = Waiting.Unique("tenants");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 6, MaxPerKey = 2 });

        // The hog's tasks come first, at the highest priority, and hold their bodies until the test lets them go.
        var hogGate = BodyGates.New("hog");
        var hog = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            hog.Add(await Submit(queue, $"hog-{i}", RecordingHandler.HeldBy(hogGate), priority: 10, key: "hog"));
        }

        var others = new Dictionary<string, List<string>>();
        var sampler = SampleRunningByKey(queue);
        for (var i = 0; i < 36; i++)
        {
            var tenant = $"tenant-{i % 3}";
            var id = await Submit(queue, $"{tenant}-{i}", RecordingHandler.Wait(10), priority: 1, key: tenant);
            (others.TryGetValue(tenant, out var list) ? list : others[tenant] = []).Add(id);
        }

        // The other tenants' tasks all finish while the hog still waits with 18 of its 20 tasks.
        var done = await Orchestrator.ForAllFinished(others.Values.SelectMany(ids => ids));
        Assert.All(done, t => Assert.Equal(OeeTaskStatus.Done, t.Status));
        var status = await Orchestrator.GetQueueAsync(queue);
        Assert.Equal(2, status.RunningByKey["hog"]);
        Assert.Equal((18, 18), (status.Pending, status.HeldByKeyLimit));

        BodyGates.Open(hogGate);
        Assert.All(await Orchestrator.ForAllFinished(hog), t => Assert.Equal(OeeTaskStatus.Done, t.Status));
        var mostSeen = await sampler.Stop();

        Assert.Equal(2, RecordingHandler.MostAtOnceOfKey(queue, "hog"));
        foreach (var tenant in others.Keys.Append("hog"))
        {
            Assert.InRange(RecordingHandler.MostAtOnceOfKey(queue, tenant), 1, 2);
            Assert.InRange(mostSeen.GetValueOrDefault(tenant), 0, 2);
        }

        // And by the recorded times: no moment had more than two bodies of one key running.
        var records = await Orchestrator.ForAllFinished(hog.Concat(others.Values.SelectMany(ids => ids)));
        foreach (var task in records)
        {
            var overlapping = records.Count(o => o.ConcurrencyKey == task.ConcurrencyKey && o.StartedAt <= task.StartedAt && o.CompletedAt > task.StartedAt);
            Assert.True(overlapping <= 2, $"{overlapping} tasks of {task.ConcurrencyKey} overlapped at {task.StartedAt:O}");
        }
    }

    [Fact]
    public async Task The_start_rate_bounds_the_starts_by_the_time_since_it_was_set()
    {
        var queue = Waiting.Unique("rate");
        var watch = Stopwatch.StartNew();
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 50, StartRate = 20, StartBurst = 2 });
        var ids = new List<string>();
        for (var i = 0; i < 24; i++)
        {
            ids.Add(await Submit(queue, $"t{i}", RecordingHandler.Instant));
        }

        // However slow the machine, the queue never started more than the bucket allows since it was set.
        await Waiting.Until(
            async () =>
            {
                // The clock is read after the queue answered: the queue counted its starts at an earlier moment.
                var started = (await Orchestrator.GetQueueAsync(queue)).Started;
                var elapsed = watch.Elapsed;
                Assert.True(started <= 2 + (long)(elapsed.TotalSeconds * 20), $"{started} starts within {elapsed}");
                return started == ids.Count;
            },
            "every task to have started");
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds((24 - 2) / 20.0), $"24 starts took only {watch.Elapsed}");
        Assert.All(await Orchestrator.ForAllFinished(ids), t => Assert.Equal(OeeTaskStatus.Done, t.Status));
    }

    [Fact]
    public async Task Quota_settings_are_shown_and_bad_ones_refused_by_name()
    {
        var queue = Waiting.Unique("settings");
        var status = await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxPending = 10, StartRate = 2.5, MaxPerKey = 3, AgingInterval = TimeSpan.FromMinutes(5) });
        Assert.Equal((10, 2.5, 3, 3, TimeSpan.FromMinutes(5)), (status.MaxPending, status.StartRate, status.StartBurst, status.MaxPerKey, status.AgingInterval));

        var invalid = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxPending = -1, StartRate = 1e9, MaxPerKey = -1, AgingInterval = TimeSpan.FromMilliseconds(1) }));
        Assert.Equal(["agingInterval", "maxPending", "maxPerKey", "startRate"], invalid.Errors.Select(e => e.Field).Order());

        // 0 turns a quota off; what was not named stays.
        status = await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxPending = 0, StartRate = 0 });
        Assert.Equal((0, 0.0, 0, 3), (status.MaxPending, status.StartRate, status.StartBurst, status.MaxPerKey));
        Assert.Equal(3, (await Orchestrator.GetQueueAsync(queue)).MaxPerKey);

        var badKey = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitAsync(Request(queue, "k", RecordingHandler.Instant) with { ConcurrencyKey = "no spaces" }));
        Assert.Equal("concurrencyKey", Assert.Single(badKey.Errors).Field);
    }

    private static SubmitTaskRequest Request(string queue, string name, string input, int priority = 5, string? key = null) =>
        new() { Name = name, Handler = RecordingHandler.Name, Queue = queue, Priority = priority, Input = input, ConcurrencyKey = key };

    private async Task<string> Submit(string queue, string name, string input, int priority = 5, string? key = null) =>
        (await Orchestrator.SubmitAsync(Request(queue, name, input, priority, key))).Task.Id;

    /// <summary>Polls the queue's running tasks per key until stopped; answers the most seen per key.</summary>
    private RunningSampler SampleRunningByKey(string queue) => new(Orchestrator, queue);

    private sealed class RunningSampler
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task<Dictionary<string, int>> loop;

        public RunningSampler(IOrchestrator orchestrator, string queue) => loop = Run(orchestrator, queue, stop.Token);

        public async Task<Dictionary<string, int>> Stop()
        {
            await stop.CancelAsync();
            return await loop;
        }

        private static async Task<Dictionary<string, int>> Run(IOrchestrator orchestrator, string queue, CancellationToken token)
        {
            var most = new Dictionary<string, int>();
            while (!token.IsCancellationRequested)
            {
                foreach (var (key, count) in (await orchestrator.GetQueueAsync(queue, CancellationToken.None)).RunningByKey)
                {
                    most[key] = Math.Max(most.GetValueOrDefault(key), count);
                }

                await Task.Delay(10, CancellationToken.None);
            }

            return most;
        }
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class QueueQuotaTestsOnMemory(MemoryClusterFixture fixture) : QueueQuotaTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class QueueQuotaTestsOnPostgres(PostgresClusterFixture fixture) : QueueQuotaTests(fixture);
