using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Oee.Grains.Client;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Telemetry;
using Oee.Grains.Tests.Cluster;
using Oee.Grains.WarmUp;
using Orleans.Serialization;

namespace Oee.Grains.Tests.Telemetry;

/// <summary>
/// A client's span, the task's <c>oee.submit</c> and its body's <c>oee.run</c> are one trace, with the
/// body on either silo of the two-silo cluster (tasks are placed at random).
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class TaskTraceTests : IDisposable
{
    private const string ClientSource = "Oee.Tests.Client";

    private static readonly ActivitySource Client = new(ClientSource);

    private readonly ConcurrentQueue<Activity> stopped = new();
    private readonly ActivityListener listener;

    private readonly MemoryClusterFixture fixture;

    public TaskTraceTests(MemoryClusterFixture fixture)
    {
        this.fixture = fixture;
        listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ClientSource || s.Name == OeeTelemetry.ActivitySourceName || OeeTelemetry.OrleansActivitySourceNames.Contains(s.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose() => listener.Dispose();

    [Fact]
    public async Task Submit_and_body_on_another_silo_share_the_clients_trace()
    {
        var prefix = $"trace-{Guid.NewGuid():N}";
        var ids = Enumerable.Range(0, 20).Select(i => $"{prefix}-{i}").ToArray();
        ActivityTraceId traceId;
        using (var root = Client.StartActivity("client submits"))
        {
            Assert.NotNull(root);
            traceId = root.TraceId;
            foreach (var id in ids)
            {
                await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest { Id = id, Name = "traced", Handler = "echo", Input = "1" });
            }
        }

        var records = await fixture.Orchestrator.ForAll(ids, t => t.Status == OeeTaskStatus.Done);
        Assert.All(records, r => Assert.StartsWith($"00-{traceId}-", r.TraceParent, StringComparison.Ordinal));

        // The run span ends right after the outcome is stored: wait for all of them.
        var deadline = DateTime.UtcNow.AddSeconds(Waiting.TaskSeconds);
        while (Runs(ids).Count < ids.Length)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{Runs(ids).Count} of {ids.Length} oee.run spans ended");
            await Task.Delay(20);
        }

        var submits = Spans("oee.submit", ids);
        var runs = Runs(ids);
        foreach (var id in ids)
        {
            var submit = Assert.Single(submits, s => Tag(s, "oee.task.id") == id);
            var run = Assert.Single(runs, s => Tag(s, "oee.task.id") == id);
            Assert.Equal(traceId, submit.TraceId);
            Assert.Equal(traceId, run.TraceId);
            Assert.Equal(submit.SpanId, run.ParentSpanId);
            Assert.Equal("1", Tag(run, "oee.attempt"));
        }

        // The bodies ran on both silos: the trace crossed from the client to each of them.
        Assert.Equal(2, runs.Select(r => Tag(r, "oee.silo")).Distinct().Count());
        Assert.Equal(records.Select(r => r.Silo).Distinct().Order(), runs.Select(r => Tag(r, "oee.silo")).Distinct().Order());
    }

    [Fact]
    public async Task The_client_warm_ups_refused_submits_make_no_span_where_a_users_refused_submit_does()
    {
        var warmUp = new ClientWarmUp(
            fixture.Orchestrator,
            fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>(),
            Options.Create(new OeeClientWarmUpOptions()),
            NullLogger<ClientWarmUp>.Instance);
        var handlers = await warmUp.RunRounds(5, CancellationToken.None);

        // A user's submit refused for the same reason (a handler no silo has) is traced: the listener sees such spans.
        var id = $"trace-refused-{Guid.NewGuid():N}";
        await Assert.ThrowsAsync<OeeValidationException>(() => fixture.Orchestrator.SubmitAsync(
            new SubmitTaskRequest { Id = id, Name = "traced", Handler = $"missing-{Guid.NewGuid():N}", Input = "1" }));
        Assert.Single(Spans("oee.submit", [id]));

        Assert.DoesNotContain(stopped, a => a.OperationName == "oee.submit" && handlers.Contains(Tag(a, "oee.handler")));
    }

    [Fact]
    public async Task The_silo_warm_up_makes_no_span_neither_its_refused_rounds_nor_its_tasks()
    {
        var services = fixture.Cluster.Silos[0].SiloHost.Services;
        var warmUp = new StartupWarmUp(
            fixture.Cluster.Client,
            services.GetRequiredService<IOrchestrator>(),
            services.GetRequiredService<Oee.Grains.Storage.IQueueStore>(),
            Options.Create(new OeeWarmUpOptions()),
            NullLogger<StartupWarmUp>.Instance);
        string[] rounds;
        string[] tasks;
        using (Client.StartActivity("a silo starts"))
        {
            rounds = [.. await warmUp.RunRounds(6, CancellationToken.None)];
            tasks = [.. await warmUp.RunTasks(6, CancellationToken.None)];
        }

        // Each refused round was an error span, and each task's body a run span, at every silo start.
        Assert.Equal(6, tasks.Length);
        Assert.Empty(Spans("oee.submit", rounds));
        Assert.Empty(Spans("oee.submit", tasks));
        Assert.Empty(Runs(tasks));
        Assert.DoesNotContain(stopped, a => a.Source.Name == OeeTelemetry.ActivitySourceName && Tag(a, "oee.queue") == WarmUpTasks.Queue);
    }

    private List<Activity> Runs(string[] ids) => Spans("oee.run", ids);

    private List<Activity> Spans(string name, string[] ids) =>
        [.. stopped.Where(a => a.Source.Name == OeeTelemetry.ActivitySourceName && a.OperationName == name && ids.Contains(Tag(a, "oee.task.id")))];

    private static string? Tag(Activity activity, string name) => activity.GetTagItem(name)?.ToString();
}
