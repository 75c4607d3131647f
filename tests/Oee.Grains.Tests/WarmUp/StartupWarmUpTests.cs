using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Oee.Grains.Client;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Events;
using Oee.Grains.Handlers.BuiltIn;
using Oee.Grains.Storage;
using Oee.Grains.Telemetry;
using Oee.Grains.Tests.Cluster;
using Oee.Grains.Tests.Events;
using Oee.Grains.WarmUp;

namespace Oee.Grains.Tests.WarmUp;

/// <summary>
/// The start-up warm-up leaves nothing a user could see, its engine round really runs a task through the
/// state machine, and with memory storage its real tasks run the whole path and are purged. Runs on both
/// storages: <see cref="StartupWarmUpTestsOnMemory"/>, <see cref="StartupWarmUpTestsOnPostgres"/>.
/// </summary>
public abstract class StartupWarmUpTests(ClusterFixture fixture)
{
    /// <summary>The warm-up as a silo of the fixture runs it: with that silo's facade and queue store.</summary>
    private StartupWarmUp SilosWarmUp()
    {
        var services = fixture.Cluster.Silos[0].SiloHost.Services;
        return new StartupWarmUp(
            fixture.Cluster.Client,
            services.GetRequiredService<IOrchestrator>(),
            services.GetRequiredService<IQueueStore>(),
            Options.Create(new OeeWarmUpOptions()),
            NullLogger<StartupWarmUp>.Instance);
    }

    [Fact]
    public async Task Warm_up_rounds_leave_no_task_behind()
    {
        var warmUp = SilosWarmUp();

        var ids = await warmUp.RunRounds(40, CancellationToken.None);

        Assert.Equal(40, ids.Distinct().Count());
        Assert.All(ids, id => Assert.StartsWith(StartupWarmUp.IdPrefix, id, StringComparison.Ordinal));
        foreach (var id in ids)
        {
            Assert.Null(await fixture.Orchestrator.GetAsync(id));
        }
    }

    [Fact]
    public async Task A_warm_up_the_silo_s_stop_cancels_ends_quietly_so_that_the_start_completes_and_the_stop_drains()
    {
        var warmUp = SilosWarmUp();
        using var stop = new CancellationTokenSource();
        var run = warmUp.OnActive(stop.Token);
        await stop.CancelAsync();

        await run.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(run.IsCompletedSuccessfully);
        await warmUp.OnActive(new CancellationToken(canceled: true));
    }

    [Fact]
    public async Task An_engine_round_finishes_its_task_in_memory_only()
    {
        var id = StartupWarmUp.IdPrefix + Guid.NewGuid().ToString("N");
        var request = new SubmitTaskRequest { Id = id, Name = "warm-up", Handler = EchoHandler.Name, Input = "{\"v\":1}" };

        var done = await fixture.Cluster.Client.GetGrain<IWarmUpGrain>(id).Run(request);

        Assert.Equal(OeeTaskStatus.Done, done.Status);
        Assert.Equal("{\"v\":1}", done.Result);
        Assert.Equal(1, done.Attempt);
        Assert.Null(await fixture.Orchestrator.GetAsync(id));
    }

    [Fact]
    public async Task Warm_up_tasks_run_with_memory_storage_only_and_leave_no_task_metric_event_or_queue_behind()
    {
        var measured = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == OeeTelemetry.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Note(instrument, tags));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Note(instrument, tags));
        listener.Start();
        await using var recorder = EventRecorder.On(fixture.Cluster.Client);
        var events = await recorder.Source.SubscribeAsync(TaskEventFilter.All);

        var ids = await SilosWarmUp().RunTasks(20, CancellationToken.None);

        if (fixture is PostgresClusterFixture)
        {
            // A durable silo's start writes nothing to the database.
            Assert.Empty(ids);
            return;
        }

        Assert.Equal(20, ids.Distinct().Count());
        foreach (var id in ids)
        {
            Assert.Null(await fixture.Orchestrator.GetAsync(id));
        }

        Assert.DoesNotContain(await fixture.Orchestrator.ListQueuesAsync(), q => q.Name == WarmUpTasks.Queue);

        // A task of this test's own, after the warm-up's: its events come through the same feed, the warm-up's never do.
        var mine = (await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "after-warm-up", Handler = EchoHandler.Name, Input = "1", Queue = $"q-{Guid.NewGuid():N}" })).Task.Id;
        var seen = new List<TaskEvent>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(Waiting.TaskSeconds));
        await foreach (var taskEvent in events.ReadAllAsync(deadline.Token))
        {
            seen.Add(taskEvent);
            if (taskEvent.TaskId == mine && taskEvent.IsFinal)
            {
                break;
            }
        }

        Assert.DoesNotContain(seen, e => ids.Contains(e.TaskId));
        lock (measured)
        {
            Assert.Empty(measured);
        }

        void Note(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Value is string value && WarmUpTasks.IsQueue(value))
                {
                    lock (measured)
                    {
                        measured.Add(instrument.Name);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task A_users_submit_to_the_warm_ups_queue_is_refused_naming_the_queue()
    {
        var refused = await Assert.ThrowsAsync<OeeValidationException>(() =>
            fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "mine", Handler = EchoHandler.Name, Input = "1", Queue = WarmUpTasks.Queue }));

        var error = Assert.Single(refused.Errors);
        Assert.Equal("queue", error.Field);
        Assert.Contains(WarmUpTasks.Queue, error.Message, StringComparison.Ordinal);
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class StartupWarmUpTestsOnMemory(MemoryClusterFixture fixture) : StartupWarmUpTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class StartupWarmUpTestsOnPostgres(PostgresClusterFixture fixture) : StartupWarmUpTests(fixture);
