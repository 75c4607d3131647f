using Microsoft.AspNetCore.Http.HttpResults;
using Oee.Api.Models;
using Oee.Api.Security;
using Oee.Grains.Client;

namespace Oee.Api.Apis;

/// <summary><c>/api/system</c>: the cluster at a glance.</summary>
public static class SystemApi
{
    /// <summary>Maps the system route.</summary>
    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/system", GetSystem)
            .RequireClusterWideRead()
            .WithTags("System")
            .WithName("GetSystemStatus")
            .WithDescription("Silos with their worker slots busy/total, every queue, and task counts by status.");
        return app;
    }

    /// <summary>Cluster status</summary>
    public static async Task<Ok<SystemResponse>> GetSystem(IOrchestrator orchestrator, CancellationToken cancellationToken) =>
        TypedResults.Ok((await orchestrator.GetSystemStatusAsync(cancellationToken)).ToResponse());
}
