using Microsoft.AspNetCore.Http.HttpResults;
using Oee.Api.Models;
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
            .WithName("ListQueues")
            .WithSummary("Every queue that has been used or configured, with its backlog and limits.");
        api.MapGet("/{name}", GetQueue)
            .WithName("GetQueue")
            .WithSummary("One queue: pending by priority, running, maxConcurrency, paused, counters.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{name}", UpdateQueue)
            .WithName("UpdateQueue")
            .WithSummary("Set maxConcurrency and/or pause (running tasks finish, no new starts) or resume; creates the queue when new.")
            .ProducesValidationProblem();
        return app;
    }

    /// <summary>GET /api/queues.</summary>
    public static async Task<Ok<QueueResponse[]>> ListQueues(IOrchestrator orchestrator, CancellationToken cancellationToken)
    {
        var queues = await orchestrator.ListQueuesAsync(cancellationToken);
        return TypedResults.Ok(queues.Select(q => q.ToResponse()).ToArray());
    }

    /// <summary>GET /api/queues/{name}.</summary>
    public static async Task<Ok<QueueResponse>> GetQueue(string name, IOrchestrator orchestrator, CancellationToken cancellationToken) =>
        TypedResults.Ok((await orchestrator.GetQueueAsync(name, cancellationToken)).ToResponse());

    /// <summary>PUT /api/queues/{name}.</summary>
    public static async Task<Ok<QueueResponse>> UpdateQueue(string name, UpdateQueueBody body, IOrchestrator orchestrator, CancellationToken cancellationToken)
    {
        var update = new QueueSettingsUpdate { MaxConcurrency = body.MaxConcurrency, Paused = body.Paused };
        return TypedResults.Ok((await orchestrator.ConfigureQueueAsync(name, update, cancellationToken)).ToResponse());
    }
}
