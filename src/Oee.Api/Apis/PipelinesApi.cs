using Microsoft.AspNetCore.Http.HttpResults;
using Oee.Api.Errors;
using Oee.Api.Models;
using Oee.Api.Models.Validation;
using Oee.Api.Security;
using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Api.Apis;

/// <summary><c>/api/pipelines</c>: submit a multi-stage model pipeline (a task whose stages run as child tasks) and read its typed result.</summary>
public static class PipelinesApi
{
    /// <summary>Maps the pipeline routes.</summary>
    public static IEndpointRouteBuilder MapPipelinesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/pipelines").WithTags("Pipelines").OpenToTenants();
        api.MapPost("/", SubmitPipeline)
            .RequireAuthorization(OeeAccessPolicies.Submit)
            .WithName("SubmitPipeline")
            .WithDescription("201 with Location when created; 200 when the same request with the same id was accepted before; 400 naming the field (e.g. stages[1].modelId) for an unknown model, a capability no model serves, a budget no plan fits (COST_OPTIMIZED, QUALITY_FIRST) or a stage queue equal to the pipeline's queue; 409 when the id belongs to a different request; 429 when the queue is full.")
            .DisableValidation();
        api.MapGet("/{id}", GetPipeline)
            .WithName("GetPipeline")
            .WithDescription("The pipeline task and its typed result (null while it runs; the stages done so far when it ended error). 404 when unknown; 409 when the task is not a pipeline. Its stage tasks: GET /api/tasks?parentId={id}.");
        return app;
    }

    /// <summary>Submit a pipeline</summary>
    /// <param name="body">The pipeline.</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="httpContext">The request.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Results<Created<PipelineResponse>, Ok<PipelineResponse>, ValidationProblem, ConflictProblem, QueueFullProblem>> SubmitPipeline(
        SubmitPipelineBody body, IOrchestrator orchestrator, HttpContext httpContext, CancellationToken cancellationToken)
    {
        // Bad fields, a used id and a full queue throw: OeeExceptionHandler answers them.
        var request = body.ToRequest() with { SubmittedBy = ApiCaller.KeyId(httpContext.User), Tenant = ApiCaller.Tenant(httpContext.User) };
        var submitted = await orchestrator.SubmitPipelineAsync(request, cancellationToken);
        var response = new PipelineTask(submitted.Task, null).ToResponse(submitted.Created);
        return submitted.Created
            ? TypedResults.Created($"/api/pipelines/{Uri.EscapeDataString(submitted.Task.Id)}", response)
            : TypedResults.Ok(response);
    }

    /// <summary>Get a pipeline and its result</summary>
    /// <param name="id">The pipeline task's id.</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="httpContext">The request.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Results<Ok<PipelineResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>> GetPipeline(
        [Identifier] string id, IOrchestrator orchestrator, HttpContext httpContext, CancellationToken cancellationToken)
    {
        // Another tenant's task answers as a missing one, before anything of it is looked at.
        if (ApiCaller.Tenant(httpContext.User) is not null
            && TenantScope.Visible(httpContext.User, await orchestrator.GetAsync(id, cancellationToken)) is null)
        {
            return ApiProblems.NotFound(httpContext, TenantScope.NotFound(id));
        }

        // Unknown (404) and not a pipeline (409) throw: OeeExceptionHandler answers them.
        return TypedResults.Ok((await orchestrator.GetPipelineResultAsync(id, cancellationToken)).ToResponse());
    }
}
