using System.Reflection;
using Microsoft.Extensions.Configuration;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Hosting;
using Oee.Tests.Shared;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A graceful stop of one silo of three, on PostgreSQL, with bodies that run until the test opens
/// their gate (so longer than the 2-second drain time): bodies on the stopping silo are handed
/// back once each; with the distributed directory, bodies on the other silos are never interrupted;
/// with either directory, no task ever runs two bodies at once.
/// Each test builds its own cluster, since it stops one of its silos.
/// </summary>
public sealed class GracefulStopTests
{
    [Fact]
    public async Task With_the_distributed_directory_stopping_one_silo_gives_no_task_running_on_another_silo_a_second_attempt()
    {
        await using var cluster = await StoppableCluster.Start(directory: "Distributed");
        var run = await cluster.RunThroughStop(awaitInterruptedSurvivor: false);

        Assert.All(run.Finished, t => Assert.Equal(OeeTaskStatus.Done, t.Status));
        Assert.All(run.Finished.Where(t => !run.OnStopped.Contains(t.Id)), t => Assert.Equal(1, t.Attempt));
        Assert.All(run.Finished.Where(t => run.OnStopped.Contains(t.Id)), t => Assert.Equal(2, t.Attempt));
        Assert.All(run.Finished, t => Assert.Equal(1, GateHandler.MostAtOnce(t.Id)));
    }

    [Fact]
    public async Task With_the_local_directory_a_lease_check_never_restarts_a_task_whose_interrupted_body_still_drains()
    {
        // Orleans' classic directory deactivates activations on the surviving silos whose
        // registration the stopping silo held: their bodies drain there while the queues' lease checks
        // (every second) reach new activations of the same tasks, which must not start attempt 2 meanwhile.
        await using var cluster = await StoppableCluster.Start(directory: "Local");
        var run = await cluster.RunThroughStop(awaitInterruptedSurvivor: true);

        Assert.All(run.Finished, t => Assert.Equal(OeeTaskStatus.Done, t.Status));
        Assert.All(run.Finished, t => Assert.Equal(1, GateHandler.MostAtOnce(t.Id)));
        Assert.All(run.Finished, t => Assert.InRange(t.Attempt, 1, 2));

        // The scenario did happen: bodies on surviving silos were interrupted (what the distributed directory avoids).
        Assert.Contains(run.Finished, t => !run.OnStopped.Contains(t.Id) && t.Attempt == 2);
    }

    private static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }

    private sealed record StopRun(TaskRecord[] Finished, HashSet<string> OnStopped);

    private sealed class StoppableCluster : IAsyncDisposable
    {
        private readonly TestDatabase database;
        private readonly InProcessTestCluster cluster;

        private StoppableCluster(TestDatabase database, InProcessTestCluster cluster)
        {
            this.database = database;
            this.cluster = cluster;
        }

        private IOrchestrator Orchestrator => new Orchestrator(cluster.Client, TimeProvider.System);

        public static async Task<StoppableCluster> Start(string directory)
        {
            var database = new TestDatabase();
            await database.CreateAsync();
            var settings = new Dictionary<string, string?>
            {
                ["Oee:Cluster:Mode"] = "External",
                ["Oee:PostgreSql:ConnectionString"] = database.ConnectionString,
                ["Oee:LeaseCheckInterval"] = "00:00:01",
                ["Oee:DrainTimeout"] = "00:00:02",
                ["Oee:Cluster:GrainDirectory"] = directory,
            };

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var builder = new InProcessTestClusterBuilder(3);

            // The test cluster's own shared directory would hide what a real deployment's directory
            // does: run the one the deployment runs (the distributed directory AddOee adds on request, or
            // Orleans' classic local one, which the test host only offers through an internal switch).
            if (directory == "Distributed")
            {
#pragma warning disable ORLEANSEXP003 // the directory AddOee adds for Oee:Cluster:GrainDirectory=Distributed
                builder.Options.UseDistributedGrainDirectory = true;
#pragma warning restore ORLEANSEXP003
            }
            else
            {
                typeof(InProcessTestClusterOptions).GetProperty("UseTestClusterGrainDirectory", BindingFlags.Instance | BindingFlags.NonPublic)!
                    .SetValue(builder.Options, false);
            }

            builder.ConfigureSilo((_, silo) =>
            {
                silo.AddOee(configuration);
                silo.Services.AddTaskHandler<GateHandler>(GateHandler.Name);
            });
            var cluster = builder.Build();
            await cluster.DeployAsync();
            await cluster.WaitForLivenessToStabilizeAsync();
            return new StoppableCluster(database, cluster);
        }

        /// <summary>Starts 45 gated tasks, stops the last silo once all run, then opens the gate.</summary>
        public async Task<StopRun> RunThroughStop(bool awaitInterruptedSurvivor)
        {
            var orchestrator = Orchestrator;
            var gate = Waiting.Unique("gate");

            // The silo to stop is the one holding the queue (not the first, which the test cluster
            // needs): the queue then moves too, rebuilds from its rows and dispatches every task
            // again, reaching tasks whose activations drain elsewhere.
            var (queue, stopping) = await QueueOnStoppableSilo(orchestrator);
            var ids = new List<string>();
            for (var i = 0; i < 45; i++)
            {
                var request = new SubmitTaskRequest { Name = "gated", Handler = GateHandler.Name, Queue = queue, Input = $"{{\"gate\":\"{gate}\"}}" };
                ids.Add((await orchestrator.SubmitAsync(request)).Task.Id);
            }

            var running = await Task.WhenAll(ids.Select(id => orchestrator.ForStatus(id, OeeTaskStatus.Running, seconds: 120)));
            var stoppingAddress = stopping.SiloAddress.ToParsableString();
            var onStopped = running.Where(t => t.Silo == stoppingAddress).Select(t => t.Id).ToHashSet();
            Assert.NotEmpty(onStopped);
            Assert.NotEqual(running.Length, onStopped.Count);

            // Graceful: the bodies there outlast the drain time, are cancelled and handed back.
            // Traffic to the queue goes on meanwhile (as under load), so that it re-activates at once.
            var stop = cluster.StopSiloAsync(stopping);
            while (!stop.IsCompleted)
            {
                await orchestrator.GetQueueAsync(queue);
                await Task.WhenAny(stop, Task.Delay(100));
            }

            await stop;
            await Task.WhenAll(onStopped.Select(id => orchestrator.ForTask(id, t => t.Status == OeeTaskStatus.Running && t.Attempt == 2 && t.Silo != stoppingAddress, seconds: 120)));

            if (awaitInterruptedSurvivor)
            {
                await Until(
                    async () => (await Task.WhenAll(ids.Where(id => !onStopped.Contains(id)).Select(id => orchestrator.GetAsync(id)))).Any(t => t!.Attempt == 2),
                    TimeSpan.FromSeconds(120),
                    "a task of a surviving silo to be interrupted and run again");
            }

            GateHandler.Open(gate);
            var finished = await orchestrator.ForAllFinished(ids, seconds: 120);
            return new StopRun(finished, onStopped);
        }

        private async Task<(string Queue, InProcessSiloHandle Silo)> QueueOnStoppableSilo(IOrchestrator orchestrator)
        {
            var management = cluster.Client.GetGrain<IManagementGrain>(0);
            for (var i = 0; i < 50; i++)
            {
                var queue = Waiting.Unique("stop");
                await orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 100 });
                var at = await management.GetActivationAddress((IAddressable)cluster.Client.GetGrain<IQueueGrain>(queue));
                if (cluster.Silos.Skip(1).FirstOrDefault(s => s.SiloAddress.Equals(at)) is { } silo)
                {
                    return (queue, silo);
                }
            }

            throw new InvalidOperationException("No queue of 50 landed on a silo other than the first.");
        }

        public async ValueTask DisposeAsync()
        {
            await cluster.DisposeAsync();
            await database.DisposeAsync();
        }
    }
}
