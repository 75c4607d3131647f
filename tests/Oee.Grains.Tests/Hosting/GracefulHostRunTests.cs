using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Hosting;
using Oee.Grains.Tests.Cluster;
using Oee.Tests.Shared;

namespace Oee.Grains.Tests.Hosting;

/// <summary>
/// A silo asked to stop while its start is still under way stops gracefully. A silo joins the cluster and takes
/// work before its start ends (its warm-up runs after the join, at Orleans' Active stage); a SIGTERM then used to
/// cancel the start, and .NET's <c>RunAsync</c> only disposed the host: a body that finished meanwhile could not
/// store its outcome, and its task ran a second attempt elsewhere (seen in the rolling-restart test). Here a start
/// participant at the Active stage holds the start the way a long warm-up does, until the stop cancels it; on
/// PostgreSQL, where the outcome outlives the silo and a second silo reads it.
/// </summary>
public sealed class GracefulHostRunTests
{
    [Fact]
    public async Task A_silo_asked_to_stop_while_it_still_starts_drains_its_running_body_and_stores_the_outcome()
    {
        await using var database = new TestDatabase();
        await database.CreateAsync();
        var hold = new StartHold(ServiceLifecycleStage.Active);
        using var starting = SiloHost(database, services => services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(hold));
        var run = starting.RunGracefullyAsync();
        await hold.Reached.Task.WaitAsync(TimeSpan.FromMinutes(2));

        // The silo is in the cluster and runs a body while its start is held.
        var orchestrator = starting.Services.GetRequiredService<IOrchestrator>();
        var gate = BodyGates.New("stop-while-starting");
        var id = (await orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "held", Handler = RecordingHandler.Name, Input = RecordingHandler.HeldBy(gate) })).Task.Id;
        await orchestrator.ForStatus(id, OeeTaskStatus.Running);
        var lifetime = starting.Services.GetRequiredService<IHostApplicationLifetime>();
        Assert.False(lifetime.ApplicationStarted.IsCancellationRequested, "the host's start had ended: the test holds it no more");
        Assert.False(run.IsCompleted);

        // Asked to stop (as by SIGTERM); the body ends only once the silo's stop is under way.
        lifetime.StopApplication();
        var status = starting.Services.GetRequiredService<ISiloStatusOracle>();
        await Waiting.Until(() => status.CurrentStatus.IsTerminating() || run.IsCompleted, "the silo's stop to begin");
        BodyGates.Open(gate);
        await run.WaitAsync(TimeSpan.FromMinutes(2));

        // Another silo reads what the stopped one stored: done by its first attempt, not left running.
        using var reading = SiloHost(database, _ => { });
        await reading.StartAsync();
        try
        {
            var stored = await reading.Services.GetRequiredService<IOrchestrator>().GetAsync(id);
            Assert.NotNull(stored);
            Assert.Equal(OeeTaskStatus.Done, stored.Status);
            Assert.Equal(1, stored.Attempt);
            Assert.Equal("1", stored.Result);
        }
        finally
        {
            await reading.StopAsync();
        }
    }

    [Fact]
    public async Task A_silo_asked_to_stop_before_it_joined_the_cluster_ends_its_run_without_an_error()
    {
        // Held before it joins (Orleans refuses to stop a silo that is not running yet: it holds no work).
        var hold = new StartHold(ServiceLifecycleStage.RuntimeServices);
        using var starting = SiloHost(null, services => services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(hold));
        var run = starting.RunGracefullyAsync();
        await hold.Reached.Task.WaitAsync(TimeSpan.FromMinutes(2));

        starting.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        await run.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(run.IsCompletedSuccessfully);
    }

    /// <summary>
    /// A silo of its own cluster without the warm-up: on the test database (PostgreSQL membership), or with memory
    /// storage on localhost clustering when there is none.
    /// </summary>
    private static IHost SiloHost(TestDatabase? database, Action<IServiceCollection> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        var siloPort = LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oee:Cluster:Mode"] = database is null ? "Localhost" : "PostgreSql",
            ["Oee:Cluster:ClusterId"] = Waiting.Unique("stop-while-starting"),
            ["Oee:Cluster:SiloPort"] = siloPort,
            ["Oee:Cluster:PrimarySiloPort"] = siloPort,
            ["Oee:Cluster:GatewayPort"] = LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Oee:PostgreSql:ConnectionString"] = database?.ConnectionString,
            ["Oee:WarmUp:Enabled"] = "false",

            // The drain waits far longer than the test takes to let the body end.
            ["Oee:DrainTimeout"] = "00:02:00",
        });
        builder.UseOrleans(silo =>
        {
            silo.AddOee(builder.Configuration);
            silo.Services.AddTaskHandler<RecordingHandler>(RecordingHandler.Name);
        });
        configure(builder.Services);
        return builder.Build();
    }

    /// <summary>
    /// Holds the silo's start at a stage of Orleans' lifecycle until the start is cancelled (at the Active stage the silo
    /// has joined the cluster and takes work, as during the warm-up).
    /// </summary>
    private sealed class StartHold(int stage) : ILifecycleParticipant<ISiloLifecycle>
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(StartHold), stage, Hold, _ => Task.CompletedTask);

        private async Task Hold(CancellationToken cancellationToken)
        {
            Reached.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
