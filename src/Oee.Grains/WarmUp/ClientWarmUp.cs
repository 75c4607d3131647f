using System.Diagnostics;
using System.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Cluster;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers.BuiltIn;
using Oee.Grains.Tasks;
using Orleans.Serialization;

namespace Oee.Grains.WarmUp;

/// <summary>
/// Warms an external client up before its host's start completes (<see cref="OeeClientWarmUpOptions"/>;
/// registered by <c>AddOeeClient</c> after Orleans' client, so it runs once the client is connected):
/// rounds of the client's side of a submit — the facade's check of a plain request, a reference to a new
/// task grain marked as new (<see cref="NewTaskHint"/>, so its activation reads nothing), the request sent
/// through the gateway and the answer decoded — whose request the task grain refuses (a priority out of
/// range), and an accepted submit's answer (a task record) through the client's serializer; then a wait
/// for the just-in-time compiler to be quiet. Nothing is stored, indexed, counted or published. A failure
/// or the time limit is logged and the client starts anyway.
/// </summary>
internal sealed partial class ClientWarmUp(IGrainFactory grains, Serializer serializer, IOptions<OeeClientWarmUpOptions> options, ILogger<ClientWarmUp> logger)
    : IHostedService
{
    /// <summary>The prefix of the ids the warm-up uses; none is ever stored.</summary>
    public const string IdPrefix = "oee-client-warm-up-";

    private const int InFlight = 32;

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => WarmUpAsync(cancellationToken);

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs the warm-up per the options; returns the task ids it used (none when disabled; none stored).</summary>
    internal async Task<IReadOnlyList<string>> WarmUpAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || settings.Rounds == 0)
        {
            return [];
        }

        var watch = Stopwatch.StartNew();
        var methodsBefore = JitInfo.GetCompiledMethodCount();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(settings.MaxDuration);
        try
        {
            var ids = await RunRounds(settings.Rounds, limit.Token);
            await JitSettle.WaitAsync(limit.Token);
            LogWarmedUp(logger, settings.Rounds, JitInfo.GetCompiledMethodCount() - methodsBefore, watch.ElapsedMilliseconds);
            return ids;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogTimedOut(logger, settings.MaxDuration);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
        }

        return [];
    }

    /// <summary>Runs <paramref name="rounds"/> warm-up rounds; returns the task ids used (none stored).</summary>
    internal async Task<IReadOnlyList<string>> RunRounds(int rounds, CancellationToken cancellationToken)
    {
        var ids = new string[rounds];
        await Parallel.ForAsync(0, rounds, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var id = IdPrefix + Guid.NewGuid().ToString("N");
            ids[i] = id;
            await Round(id, ct);
        });
        return ids;
    }

    private async Task Round(string id, CancellationToken cancellationToken)
    {
        // What the facade checks before a submit leaves the client (the plain request's fast path).
        var plain = new SubmitTaskRequest { Name = "warm-up", Handler = EchoHandler.Name, Input = "{}" };
        var now = DateTimeOffset.UtcNow;
        if (SubmitPolicy.ForClient.Check(plain, now) is { Count: > 0 } errors)
        {
            throw new InvalidOperationException($"The client warm-up's request was refused by the client's check: {errors[0].Message}");
        }

        // Out of range, so refused by the task grain's check in every configuration: nothing is stored; the
        // hint (as for a generated id) spares its activation the storage read.
        SubmitResult result;
        NewTaskHint.Set(id);
        try
        {
            result = await grains.Reference<ITaskGrain>(id).Submit(plain with { Id = id, Priority = TaskLimits.MaxPriority + 1 }, cancellationToken);
        }
        finally
        {
            NewTaskHint.Clear();
        }

        if (result.Status != SubmitStatus.Invalid)
        {
            throw new InvalidOperationException($"The client warm-up's submit of {id} was not refused ({result.Status}).");
        }

        // An accepted submit's answer carries the task's record: decode one as the client decodes answers.
        var accepted = SubmitResult.Created(SubmitPolicy.ForClient.Accept(id, plain, sequence: 0, now));
        var decoded = serializer.Deserialize<SubmitResult>(serializer.SerializeToArray(accepted));
        if (decoded?.Task?.Id != id)
        {
            throw new InvalidOperationException($"The client warm-up's answer for {id} did not survive its serialized form.");
        }
    }
}
