using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Client;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers.BuiltIn;
using Oee.Grains.Tasks;
using Orleans.Serialization;

namespace Oee.Grains.WarmUp;

/// <summary>
/// Warms an external client up before its host's start completes (<see cref="OeeClientWarmUpOptions"/>;
/// registered by <c>AddOeeClient</c> after Orleans' client, so it runs once the client is connected):
/// rounds of a real submit through the client's <see cref="IOrchestrator"/> — its check, a generated id
/// sent as a new id's submit (the activation reads nothing), the request through the gateway, the answer —
/// naming a handler no silo has (a fresh GUID in its name), so that the task grain refuses it before
/// anything is enqueued or stored, once as a submit and once as a receipt submit; a status read of a
/// queue of the same new name, which the cluster answers as not found; and an accepted submit's answer
/// (a task record) through the client's serializer; then a wait for the just-in-time compiler to be quiet. Nothing is stored, indexed,
/// counted or published, and the refused submits make no trace span. A failure or the time limit is logged and the client starts anyway.
/// </summary>
internal sealed partial class ClientWarmUp(IOrchestrator orchestrator, Serializer serializer, IOptions<OeeClientWarmUpOptions> options, ILogger<ClientWarmUp> logger)
    : IHostedService
{
    /// <summary>The prefix of the handler names (and ids) the warm-up uses; no such handler is registered, no such task stored.</summary>
    public const string IdPrefix = "oee-client-warm-up-";

    /// <summary>The name of the warm-up's tasks (none is ever stored).</summary>
    public const string TaskName = "oee-client-warm-up";

    private const int InFlight = 32;

    /// <summary>True for the warm-up's own refused submits (its task name and handler prefix): they make no trace span.</summary>
    public static bool IsWarmUpSubmit(SubmitTaskRequest request) =>
        request.Name == TaskName && request.Handler?.StartsWith(IdPrefix, StringComparison.Ordinal) == true;

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => WarmUpAsync(cancellationToken);

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs the warm-up per the options; returns the handler names it used (none when disabled; no task stored).</summary>
    internal async Task<IReadOnlyList<string>> WarmUpAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || settings.Rounds == 0)
        {
            return [];
        }

        var outcome = await WarmUpRun.RunAsync(token => RunRounds(settings.Rounds, token), settings.MaxDuration, cancellationToken);
        outcome.Report(f => LogFailed(logger, f), () => LogTimedOut(logger, settings.MaxDuration), o => LogWarmedUp(logger, settings.Rounds, o.MethodsCompiled, o.ElapsedMs));

        return outcome.Result ?? [];
    }

    /// <summary>Runs <paramref name="rounds"/> warm-up rounds; returns the handler names used (none registered, so no task stored).</summary>
    internal async Task<IReadOnlyList<string>> RunRounds(int rounds, CancellationToken cancellationToken)
    {
        var names = new string[rounds];
        await Parallel.ForAsync(0, rounds, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var handler = IdPrefix + Guid.NewGuid().ToString("N");
            names[i] = handler;
            await Round(handler, ct);
        });
        return names;
    }

    private async Task Round(string handler, CancellationToken cancellationToken)
    {
        // The real submit through the facade (its check, a generated id sent as a new id's submit, the grain call, the
        // answer): the handler's name is new (a fresh GUID in it), so no silo can have registered it and the task
        // grain's check refuses the submit before anything is enqueued or stored.
        var request = new SubmitTaskRequest { Name = TaskName, Handler = handler, Input = "{}" };
        try
        {
            var stored = await orchestrator.SubmitAsync(request, cancellationToken);
            throw new InvalidOperationException($"The client warm-up's submit was accepted as task {stored.Task.Id}, with handler '{handler}'.");
        }
        catch (OeeValidationException refused) when (refused.Errors.Any(e => e.Field == "handler"))
        {
        }

        // The same refused submit the way bulk submitters and the REST API send it: answered with the outcome only.
        try
        {
            var receipt = await orchestrator.SubmitForReceiptAsync(request, cancellationToken);
            throw new InvalidOperationException($"The client warm-up's receipt submit was accepted as task {receipt.Id}, with handler '{handler}'.");
        }
        catch (OeeValidationException refused) when (refused.Errors.Any(e => e.Field == "handler"))
        {
        }

        // A queue's status, as a caller watching its queue asks for it: the name is new, so the cluster answers that no
        // such queue exists (the look-up reads the queue directory and creates nothing).
        try
        {
            var queue = await orchestrator.GetQueueAsync(handler, cancellationToken);
            throw new InvalidOperationException($"The client warm-up's queue '{queue.Name}' exists.");
        }
        catch (OeeNotFoundException)
        {
        }

        // An accepted submit's answer carries the task's record: decode one as the client decodes answers.
        var id = IdPrefix + Guid.NewGuid().ToString("N");
        var accepted = SubmitResult.Created(SubmitPolicy.ForClient.Accept(id, request with { Handler = EchoHandler.Name }, sequence: 0, DateTimeOffset.UtcNow));
        var decoded = serializer.Deserialize<SubmitResult>(serializer.SerializeToArray(accepted));
        if (decoded?.Task?.Id != id)
        {
            throw new InvalidOperationException($"The client warm-up's answer for {id} did not survive its serialized form.");
        }
    }
}
