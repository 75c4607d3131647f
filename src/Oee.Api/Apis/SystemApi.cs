using Microsoft.AspNetCore.Http.HttpResults;
using Oee.Api.Models;
using Oee.Grains.Client;

namespace Oee.Api.Apis;

/// <summary><c>/api/system</c>: the cluster at a glance.</summary>
public static class SystemApi
{
    /// <summary>Maps the system route.</summary>
    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/system", GetSystem)
            .WithTags("System")
            .WithName("GetSystemStatus")
            .WithSummary("Silos with worker slots busy/total, queues, and task counts by status.");
        return app;
    }

    /// <summary>GET /api/system.</summary>
    public static async Task<Ok<SystemResponse>> GetSystem(IOrchestrator orchestrator, CancellationToken cancellationToken) =>
        TypedResults.Ok((await orchestrator.GetSystemStatusAsync(cancellationToken)).ToResponse());
}
