using Microsoft.AspNetCore.Http.HttpResults;
using Oee.Api.Errors;
using Oee.Api.Models;
using Oee.Api.Models.Validation;
using Oee.Api.Security;
using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Api.Apis;

/// <summary><c>/api/queues</c>: list, inspect and configure queues.</summary>
public static class QueuesApi
{
    /// <summary>Maps the queue routes.</summary>
    public static IEndpointRouteBuilder MapQueuesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/queues").WithTags("Queues");
        api.MapGet("/", ListQueues)
            .RequireClusterWideRead()
            .WithName("ListQueues")
            .WithDescription("Every queue that has been used or configured, with its backlog and limits.");
        api.MapGet("/{name}", GetQueue)
            .RequireClusterWideRead()
            .WithName("GetQueue")
            .WithDescription("Pending tasks by priority, running, maxConcurrency, paused and counters; 404 when the queue was never used or configured.");

        // The body is checked once, by the orchestrator (see UpdateQueueBody).
        api.MapPut("/{name}", UpdateQueue)
            .WithName("UpdateQueue")
            .WithDescription("Sets maxConcurrency and/or pauses (running tasks finish, no new starts) or resumes, and the quotas: maxPending, startRate and startBurst, maxPerKey, agingInterval (0 turns one off), the default retry policy, maxAttempts and timeout of tasks submitted later without their own, and the callbackUrl (with callbackEvents) of tasks submitted later without their own (a task's own callbackUrl wins; its host must be among the service's Oee:Webhooks:AllowedHosts, else 400 naming callbackUrl; \"\" removes it); omitted members stay as they are. Creates the queue when new.")
            .DisableValidation();
        return app;
    }

    /// <summary>List queues</summary>
    public static async Task<Ok<QueueResponse[]>> ListQueues(IOrchestrator orchestrator, CancellationToken cancellationToken)
    {
        var queues = await orchestrator.ListQueuesAsync(cancellationToken);
        return TypedResults.Ok(queues.Select(q => q.ToResponse()).ToArray());
    }

    /// <summary>Get one queue</summary>
    /// <param name="name">The queue name.</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Results<Ok<QueueResponse>, ValidationProblem, NotFoundProblem>> GetQueue(
        [Identifier] string name,
        IOrchestrator orchestrator,
        CancellationToken cancellationToken)
    {
        // An unknown queue throws OeeNotFoundException: OeeExceptionHandler answers 404.
        return TypedResults.Ok((await orchestrator.GetQueueAsync(name, cancellationToken)).ToResponse());
    }

    /// <summary>Configure a queue</summary>
    /// <param name="name">The queue name.</param>
    /// <param name="body">The settings to change.</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Results<Ok<QueueResponse>, ValidationProblem>> UpdateQueue(
        [Identifier] string name,
        UpdateQueueBody body,
        IOrchestrator orchestrator,
        CancellationToken cancellationToken)
    {
        // Bad durations here, every other rule in the orchestrator: OeeValidationException, a 400 from OeeExceptionHandler.
        var errors = new List<FieldError>();
        var aging = ModelMapping.ToDuration(body.AgingInterval, "agingInterval", errors);
        var retry = body.Retry?.ToPolicy("retry.", errors);
        var timeout = ModelMapping.ToDuration(body.Timeout, "timeout", errors);
        if (errors.Count > 0)
        {
            throw new OeeValidationException(errors);
        }

        var update = new QueueSettingsUpdate
        {
            MaxConcurrency = body.MaxConcurrency,
            Paused = body.Paused,
            MaxPending = body.MaxPending,
            StartRate = body.StartRate,
            StartBurst = body.StartBurst,
            MaxPerKey = body.MaxPerKey,
            AgingInterval = aging,
            Retry = retry,
            MaxAttempts = body.MaxAttempts,
            Timeout = timeout,
            CallbackUrl = body.CallbackUrl,
            CallbackEvents = body.CallbackEvents.ToContract(),
        };
        return TypedResults.Ok((await orchestrator.ConfigureQueueAsync(name, update, cancellationToken)).ToResponse());
    }
}
