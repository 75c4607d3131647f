using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Client;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers.BuiltIn;
using Oee.Grains.Storage;
using Oee.Grains.Tasks;

namespace Oee.Grains.WarmUp;

/// <summary>
/// Warms a silo up before its start completes (<see cref="OeeWarmUpOptions"/>): rounds of a refused
/// submit to a new task grain (activation, the store's lookup of a missing record, the submit check,
/// the answer) and an engine round on a new <see cref="IWarmUpGrain"/>; then, with memory storage, real
/// echo tasks through the silo's client facade, the queue, the record writes, the worker and the handler,
/// in the engine's own queue (<see cref="WarmUpTasks"/>: no metric, event or listing shows them), each
/// purged once done; then waits until the just-in-time compiler has been quiet for a moment (the runtime
/// recompiles hot methods in the background shortly after they became hot). Nothing is left stored. A
/// failure or the time limit is logged and the silo starts anyway.
/// </summary>
internal sealed partial class StartupWarmUp(
    IGrainFactory grains,
    IOrchestrator orchestrator,
    IQueueStore queues,
    IOptions<OeeWarmUpOptions> options,
    ILogger<StartupWarmUp> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The prefix of the ids the warm-up uses; none is ever stored.</summary>
    public const string IdPrefix = "oee-warm-up-";

    private const int InFlight = 32;

    // How long one of the warm-up's echo tasks may take to finish (the warm-up's own time limit is the bound that counts).
    private static readonly TimeSpan FinishWait = TimeSpan.FromMinutes(1);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(StartupWarmUp), ServiceLifecycleStage.Active, OnActive, _ => Task.CompletedTask);

    /// <summary>
    /// Runs the warm-up as the silo's start reaches Orleans' Active stage. A stop asked for meanwhile ends it quietly
    /// (the start then completes, and the host's stop drains the silo as usual) rather than failing the silo's start.
    /// </summary>
    internal async Task OnActive(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || (settings.Rounds == 0 && settings.Tasks == 0))
        {
            return;
        }

        WarmUpOutcome<int> outcome;
        try
        {
            outcome = await WarmUpRun.RunAsync(
                async token =>
                {
                    await RunRounds(settings.Rounds, token);
                    return (await RunTasks(settings.Tasks, token)).Count;
                },
                settings.MaxDuration,
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopped(logger);
            return;
        }

        outcome.Report(f => LogFailed(logger, f), () => LogTimedOut(logger, settings.MaxDuration), o => LogWarmedUp(logger, settings.Rounds, o.Result, o.MethodsCompiled, o.ElapsedMs));
    }

    /// <summary>
    /// Runs <paramref name="count"/> real echo tasks through the silo's client facade in the engine's warm-up queue
    /// (<see cref="WarmUpTasks"/>), waits for each to finish and purges it; returns their ids (none left stored).
    /// With PostgreSQL storage it runs none: a silo's start writes nothing to the database.
    /// </summary>
    internal async Task<IReadOnlyList<string>> RunTasks(int count, CancellationToken cancellationToken)
    {
        if (count == 0 || queues.IsDurable)
        {
            return [];
        }

        var ids = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var request = new SubmitTaskRequest { Name = "warm-up", Handler = EchoHandler.Name, Input = "{}", Queue = WarmUpTasks.Queue };
            string id;
            WarmUpTasks.Mark();
            try
            {
                // Both of the facade's submits, as the API and in-process callers use both.
                id = i % 2 == 0 ? (await orchestrator.SubmitAsync(request, ct)).Task.Id : (await orchestrator.SubmitForReceiptAsync(request, ct)).Id;
            }
            finally
            {
                WarmUpTasks.Unmark();
            }

            ids[i] = id;
            var finished = await grains.GetGrain<ITaskGrain>(id).WaitForFinish(FinishWait, ct);
            if (finished?.Status != OeeTaskStatus.Done)
            {
                throw new InvalidOperationException($"The warm-up's task {id} did not finish as done ({finished?.Status.ToString() ?? "not finished"}).");
            }

            if (!await grains.GetGrain<ITaskEngineGrain>(id).Purge(finishedBefore: null))
            {
                throw new InvalidOperationException($"The warm-up's task {id} could not be purged.");
            }
        });
        return ids;
    }

    /// <summary>Runs <paramref name="rounds"/> warm-up rounds; returns the task ids used (none stored).</summary>
    internal async Task<IReadOnlyList<string>> RunRounds(int rounds, CancellationToken cancellationToken)
    {
        var ids = new string[rounds];
        await Parallel.ForAsync(0, rounds, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var id = IdPrefix + Guid.NewGuid().ToString("N");
            ids[i] = id;

            // Out of range, so refused by the submit check of every configuration: the task grain stores nothing.
            var refused = new SubmitTaskRequest { Id = id, Name = "warm-up", Handler = EchoHandler.Name, Input = "{}", Priority = TaskLimits.MaxPriority + 1 };
            // Every other round through the receipt's method (IOrchestrator.SubmitForReceiptAsync), so that both submits are compiled.
            var result = i % 2 == 0
                ? await grains.GetGrain<ITaskGrain>(id).Submit(refused, ct)
                : await grains.GetGrain<ITaskEngineGrain>(id).SubmitForReceipt(refused, ct);
            if (result.Status != SubmitStatus.Invalid)
            {
                throw new InvalidOperationException($"The warm-up's submit of {id} was not refused ({result.Status}).");
            }

            await grains.GetGrain<IWarmUpGrain>(id).Run(refused with { Priority = TaskLimits.MaxPriority });
        });
        return ids;
    }
}
