using Microsoft.AspNetCore.Http.HttpResults;
using Oee.Api.Errors;
using Oee.Api.Models;
using Oee.Api.Security;
using Oee.Grains.Client;

namespace Oee.Api.Apis;

/// <summary><c>/api/models</c>: the model catalog the silos read from <c>Oee:Models</c> at start.</summary>
public static class ModelsApi
{
    /// <summary>Maps the model routes.</summary>
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/models").WithTags("Models").OpenToTenants();
        api.MapGet("/", ListModels)
            .WithName("ListModels")
            .WithDescription("Every model of the catalog, by id: kind, capabilities, local or remote, pricing, quality, expected latency, output limit. API keys are never shown.");
        api.MapGet("/{id}", GetModel)
            .WithName("GetModel")
            .WithDescription("One model of the catalog; 404 when the catalog has none with this id.");
        return app;
    }

    /// <summary>List models</summary>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Ok<ModelResponse[]>> ListModels(IOrchestrator orchestrator, CancellationToken cancellationToken)
    {
        var models = await orchestrator.ListModelsAsync(cancellationToken);
        return TypedResults.Ok(models.Select(m => m.ToResponse()).ToArray());
    }

    /// <summary>Get one model</summary>
    /// <param name="id">The model's catalog id.</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="httpContext">The request.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Results<Ok<ModelResponse>, NotFoundProblem>> GetModel(
        string id,
        IOrchestrator orchestrator,
        HttpContext httpContext,
        CancellationToken cancellationToken)
    {
        var model = await orchestrator.GetModelAsync(id, cancellationToken);
        return model is null
            ? ApiProblems.NotFound(httpContext, $"The catalog has no model with the id '{id}'.")
            : TypedResults.Ok(model.ToResponse());
    }
}
