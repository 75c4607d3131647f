using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers.BuiltIn;
using Oee.Grains.Tasks;

namespace Oee.Grains.WarmUp;

/// <summary>
/// Warms a silo up before its start completes (<see cref="OeeWarmUpOptions"/>): rounds of a refused
/// submit to a new task grain (activation, the store's lookup of a missing record, the submit check,
/// the answer) and an engine round on a new <see cref="IWarmUpGrain"/>; then waits until the
/// just-in-time compiler has been quiet for a moment (the runtime recompiles hot methods in the
/// background shortly after they became hot). Nothing is stored, indexed, counted or published. A
/// failure or the time limit is logged and the silo starts anyway.
/// </summary>
internal sealed partial class StartupWarmUp(IGrainFactory grains, IOptions<OeeWarmUpOptions> options, ILogger<StartupWarmUp> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The prefix of the ids the warm-up uses; none is ever stored.</summary>
    public const string IdPrefix = "oee-warm-up-";

    private const int InFlight = 32;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(StartupWarmUp), ServiceLifecycleStage.Active, OnActive, _ => Task.CompletedTask);

    private async Task OnActive(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || settings.Rounds == 0)
        {
            return;
        }

        var outcome = await WarmUpRun.RunAsync(token => RunRounds(settings.Rounds, token), settings.MaxDuration, cancellationToken);
        outcome.Report(f => LogFailed(logger, f), () => LogTimedOut(logger, settings.MaxDuration), o => LogWarmedUp(logger, settings.Rounds, o.MethodsCompiled, o.ElapsedMs));
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
