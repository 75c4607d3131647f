using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Errors;
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
        var run = await cluster.RunThroughStop();

        AssertOnlyTheStoppedSilosBodiesRanAgain(run);
        Assert.Equal(0, cluster.Detached);
    }

    [Fact]
    public async Task With_the_local_directory_a_body_outlives_its_deactivated_activation_and_its_task_runs_no_second_attempt()
    {
        // Orleans' classic directory deactivates activations on the surviving silos whose
        // registration the stopping silo held: their bodies run on where they are, and report their
        // outcome to the task's next activation, while the queues' lease checks (every second) reach
        // new activations of the same tasks, which must not start attempt 2 meanwhile.
        await using var cluster = await StoppableCluster.Start(directory: "Local");
        string? cancelled = null;
        var run = await cluster.RunThroughStop(async (orchestrator, _) =>
        {
            // A cancel reaches a body that runs on under a deactivated activation: it stops, and the task ends cancelled.
            Assert.NotEmpty(cluster.DetachedTasks);
            cancelled = cluster.DetachedTasks[0];
            var cancel = await orchestrator.CancelAsync(cancelled);
            Assert.Equal(CancelStatus.CancellationRequested, cancel.Status);
            await orchestrator.ForStatus(cancelled, OeeTaskStatus.Cancelled);
        });

        // The scenario did happen: activations of tasks running on surviving silos went away under their bodies.
        Assert.NotNull(cancelled);
        AssertOnlyTheStoppedSilosBodiesRanAgain(run, cancelled);
        Assert.Equal(1, run.Finished.Single(t => t.Id == cancelled).Attempt);
    }

    [Fact]
    public async Task With_the_local_directory_bodies_that_outlived_their_activation_are_handed_back_once_when_their_own_silo_stops()
    {
        await using var cluster = await StoppableCluster.Start(directory: "Local");
        HashSet<string> detachedThere = [];
        TaskRecord[] beforeSecondStop = [];
        string stoppedSecond = "";
        var run = await cluster.RunThroughStop(async (orchestrator, ids) =>
        {
            // Now stop the other silo that may stop, while bodies that outlived their activation run on
            // it (gated, so longer than its drain time): they are drained with the others, then handed back.
            var silo = cluster.OtherStoppableSilo;
            stoppedSecond = silo.SiloAddress.ToParsableString();
            beforeSecondStop = await Task.WhenAll(ids.Select(async id => (await orchestrator.GetAsync(id))!));
            var detached = cluster.DetachedTasks.ToHashSet();
            detachedThere = [.. beforeSecondStop.Where(t => detached.Contains(t.Id) && t.Silo == stoppedSecond && t.Status == OeeTaskStatus.Running).Select(t => t.Id)];
            Assert.NotEmpty(detachedThere);

            await cluster.Stop(silo, orchestrator);
            await Task.WhenAll(detachedThere.Select(id => orchestrator.ForTask(id, t => t.Status == OeeTaskStatus.Running && t.Attempt == 2 && t.Silo != stoppedSecond, seconds: 120)));
        });

        Assert.All(run.Finished, t => Assert.Equal(OeeTaskStatus.Done, t.Status));
        Assert.All(run.Finished, t => Assert.Equal(1, GateHandler.MostAtOnce(t.Id)));

        // Each body that ran on the silo stopped second ran once more, elsewhere (handed back once); every other kept its attempt.
        var before = beforeSecondStop.ToDictionary(t => t.Id);
        Assert.All(run.Finished, t => Assert.Equal(before[t.Id].Attempt + (before[t.Id].Silo == stoppedSecond ? 1 : 0), t.Attempt));
        Assert.All(run.Finished.Where(t => detachedThere.Contains(t.Id)), t => Assert.Equal(2, t.Attempt));
    }

    private static void AssertOnlyTheStoppedSilosBodiesRanAgain(StopRun run, string? cancelled = null)
    {
        Assert.All(run.Finished, t => Assert.Equal(t.Id == cancelled ? OeeTaskStatus.Cancelled : OeeTaskStatus.Done, t.Status));
        Assert.All(run.Finished.Where(t => !run.OnStopped.Contains(t.Id)), t => Assert.Equal(1, t.Attempt));
        Assert.All(run.Finished.Where(t => run.OnStopped.Contains(t.Id)), t => Assert.Equal(2, t.Attempt));
        Assert.All(run.Finished, t => Assert.Equal(1, GateHandler.MostAtOnce(t.Id)));
    }

    private sealed record StopRun(TaskRecord[] Finished, HashSet<string> OnStopped);

    private sealed class StoppableCluster : IAsyncDisposable
    {
        private readonly TestDatabase database;
        private readonly InProcessTestCluster cluster;

        // Orleans' classic directory and its partition owner of a grain (internal: reached by reflection).
        private static readonly Type ClassicDirectoryType =
            Type.GetType("Orleans.Runtime.GrainDirectory.LocalGrainDirectory, Orleans.Runtime", throwOnError: true)!;

        private static readonly MethodInfo PartitionOwner = ClassicDirectoryType.GetMethod("CalculateGrainDirectoryPartition", [typeof(GrainId)])!;

        private StoppableCluster(TestDatabase database, InProcessTestCluster cluster, TaskGrainEvents events, bool classicDirectory)
        {
            this.database = database;
            this.cluster = cluster;
            this.events = events;
            this.classicDirectory = classicDirectory;
        }

        private readonly bool classicDirectory;
        private readonly TaskGrainEvents events;
        private string? queue;

        /// <summary>How many times an activation of a running task went away while its body ran on.</summary>
        public int Detached => events.Count("LogDetached");

        /// <summary>The tasks whose activation went away while their body ran on.</summary>
        public IReadOnlyList<string> DetachedTasks => events.TaskIds("LogDetached");

        private IOrchestrator Orchestrator => OrchestratorServiceCollectionExtensions.Create(cluster.Client, TimeProvider.System);

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

            var events = new TaskGrainEvents();
            builder.ConfigureSilo((_, silo) =>
            {
                silo.Services.AddLogging(events.AddTo);
                silo.AddOee(configuration);
                silo.Services.AddTaskHandler<GateHandler>(GateHandler.Name);
            });
            var cluster = builder.Build();
            await cluster.DeployAsync();
            await cluster.WaitForLivenessToStabilizeAsync();
            return new StoppableCluster(database, cluster, events, classicDirectory: directory == "Local");
        }

        /// <summary>The silo other than the first (which the test cluster needs) that is still running after the first stop.</summary>
        public InProcessSiloHandle OtherStoppableSilo => cluster.Silos.Skip(1).Single(s => s.IsActive);

        /// <summary>
        /// Stops a silo gracefully. Traffic to the tasks' queue goes on meanwhile (as under load), so
        /// that the queue re-activates at once when it was on that silo.
        /// </summary>
        public async Task Stop(InProcessSiloHandle silo, IOrchestrator orchestrator)
        {
            var stop = cluster.StopSiloAsync(silo);
            while (!stop.IsCompleted)
            {
                try
                {
                    await orchestrator.GetQueueAsync(queue!);
                }
                catch (OeeClusterUnavailableException)
                {
                    // Sent through the stopping silo's gateway or to the queue's activation there, Orleans
                    // rejects it ("Silo ... is shutting down", of more than one exception type), which the
                    // user's orchestrator reports as the cluster unavailable: the next one goes elsewhere.
                }

                await Task.WhenAny(stop, Task.Delay(100));
            }

            await stop;
        }

        /// <summary>Starts 45 gated tasks, stops the silo holding their queue once all run, then opens the gate.</summary>
        public async Task<StopRun> RunThroughStop(Func<IOrchestrator, IReadOnlyList<string>, Task>? beforeTheGateOpens = null)
        {
            var orchestrator = Orchestrator;
            var gate = Waiting.Unique("gate");

            // The silo to stop is the one holding the queue (not the first, which the test cluster
            // needs): the queue then moves too, rebuilds from its rows and dispatches every task
            // again, reaching tasks whose activations drain elsewhere.
            (queue, var stopping) = await QueueOnStoppableSilo(orchestrator);
            var ids = new List<string>();
            foreach (var id in TaskIds(stopping, 45))
            {
                var request = new SubmitTaskRequest { Id = id, Name = "gated", Handler = GateHandler.Name, Queue = queue, Input = $"{{\"gate\":\"{gate}\"}}" };
                ids.Add((await orchestrator.SubmitAsync(request)).Task.Id);
            }

            var running = await Task.WhenAll(ids.Select(id => orchestrator.ForStatus(id, OeeTaskStatus.Running, seconds: 120)));
            var stoppingAddress = stopping.SiloAddress.ToParsableString();
            var onStopped = running.Where(t => t.Silo == stoppingAddress).Select(t => t.Id).ToHashSet();
            Assert.NotEmpty(onStopped);
            Assert.NotEqual(running.Length, onStopped.Count);

            // With the classic directory, the activations on the other silos whose registration the
            // stopping silo holds go away once those silos learn it is gone, which may be after its
            // tasks run again elsewhere: those are the bodies that will outlive their activation.
            var toDetach = running.Where(t => t.Silo != stoppingAddress && RegisteredOn(stopping, t.Id)).Select(t => t.Id).ToHashSet();

            // Graceful: the bodies there outlast the drain time, are cancelled and handed back.
            await Stop(stopping, orchestrator);
            await Task.WhenAll(onStopped.Select(id => orchestrator.ForTask(id, t => t.Status == OeeTaskStatus.Running && t.Attempt == 2 && t.Silo != stoppingAddress, seconds: 120)));

            if (toDetach.Count > 0)
            {
                await Waiting.Until(() => toDetach.IsSubsetOf(DetachedTasks), $"the activations of {toDetach.Count} tasks registered on the stopped silo to go away under their bodies");

                // A lease check reached a new activation of a task whose body runs on under a deactivated one, and it stepped aside.
                await Waiting.Until(() => Task.FromResult(events.Count("LogAttemptElsewhere") > 0), "a lease check to find a body that outlived its activation");
            }

            if (beforeTheGateOpens is not null)
            {
                await beforeTheGateOpens(orchestrator, ids);
            }

            GateHandler.Open(gate);
            var finished = await orchestrator.ForAllFinished(ids, seconds: 120);
            return new StopRun(finished, onStopped);
        }

        /// <summary>
        /// Task ids of which about half have their classic-directory registration on the silo to stop
        /// (where that directory runs), so that stopping it surely reaches activations on the other silos:
        /// a silo's share of the directory ring is a matter of its hash and may be tiny.
        /// </summary>
        private IEnumerable<string> TaskIds(InProcessSiloHandle stopping, int count)
        {
            var there = new List<string>();
            var elsewhere = new List<string>();
            while (there.Count + elsewhere.Count < count)
            {
                var id = Waiting.Unique("gated");
                var list = RegisteredOn(stopping, id) ? there : elsewhere;
                if (list.Count < (classicDirectory ? count / 2 + 1 : count))
                {
                    list.Add(id);
                }
            }

            return [.. there, .. elsewhere];
        }

        /// <summary>Whether the classic directory (when the cluster runs it) holds the task's registration on the silo.</summary>
        private bool RegisteredOn(InProcessSiloHandle silo, string taskId)
        {
            if (!classicDirectory)
            {
                return false;
            }

            var directory = silo.ServiceProvider.GetRequiredService(ClassicDirectoryType);
            return silo.SiloAddress.Equals(PartitionOwner.Invoke(directory, [cluster.Client.GetGrain<ITaskGrain>(taskId).GetGrainId()]));
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
