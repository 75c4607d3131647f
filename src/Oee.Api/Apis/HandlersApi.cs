using Microsoft.AspNetCore.Http.HttpResults;
using Oee.Api.Models;
using Oee.Api.Security;
using Oee.Grains.Client;

namespace Oee.Api.Apis;

/// <summary><c>/api/handlers</c>: the handlers a task may name.</summary>
public static class HandlersApi
{
    /// <summary>Maps the handler route.</summary>
    public static IEndpointRouteBuilder MapHandlersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/handlers", ListHandlers)
            .OpenToTenants()
            .WithTags("Handlers")
            .WithName("ListHandlers")
            .WithDescription("The task handlers registered on the silo that answers, by name, each with the shape of input it expects when it states one.");
        return app;
    }

    /// <summary>List task handlers</summary>
    public static async Task<Ok<HandlerResponse[]>> ListHandlers(IOrchestrator orchestrator, CancellationToken cancellationToken)
    {
        var handlers = await orchestrator.ListHandlersAsync(cancellationToken);
        return TypedResults.Ok(handlers.Select(h => new HandlerResponse(h.Name, h.InputShape)).ToArray());
    }
}
