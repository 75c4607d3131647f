using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Oee.Api.Errors;
using Oee.Api.Models;
using Oee.Api.Models.Validation;
using Oee.Api.Security;
using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Api.Apis;

/// <summary><c>/api/tasks</c>: submit, get, list, cancel, clear finished.</summary>
public static class TasksApi
{
    /// <summary>Maps the task routes.</summary>
    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        // Each operation's summary is its handler's XML <summary> (the OpenAPI XML-comment generator);
        // its description says what each answer means.
        var api = app.MapGroup("/api/tasks").WithTags("Tasks").OpenToTenants();

        // Bodies are checked once, by the orchestrator's submit rules (see SubmitTaskBody).
        api.MapPost("/", SubmitTask)
            .RequireAuthorization(OeeAccessPolicies.Submit)
            .WithName("SubmitTask")
            .WithDescription("201 with Location when created; 200 when the same request with the same id was accepted before (the body's `created` tells the two apart); 409 when the id belongs to a different request; 429 with Retry-After when the queue already holds its maxPending waiting tasks (nothing is stored). "
                + "With the header `Prefer: return=minimal` (RFC 7240) the 201 and the 200 come without a body and with `Preference-Applied: return=minimal`: the new task's id is the last segment of Location, an existing task's is the id the request gave; read the task with GET when it is needed. 409, 429 and 400 answers are the same with or without it.")
            .DisableValidation();
        api.MapPost("/batch", SubmitBatch)
            .RequireAuthorization(OeeAccessPolicies.Submit)
            .WithName("SubmitTaskBatch")
            .WithDescription("200 with what became of each task, in order (created, existing, conflict, invalid, failed, queueFull). A malformed task rejects the whole batch with a 400 naming tasks[i].field, and nothing is submitted. "
                + "With the header `Prefer: return=minimal` (RFC 7240) the answer comes with `Preference-Applied: return=minimal` and the created and existing tasks' `task` is null (their ids and outcomes are all there; a conflict still carries the task it met): the tasks are not sent back; read one with GET when it is needed.")
            .DisableValidation();
        api.MapGet("/", ListTasks)
            .WithName("ListTasks")
            .WithDescription("Newest first, filtered by status, queue, exact name, tag, dead-letter flag and parent task, paged with limit and cursor (pass nextCursor back unchanged). Listings carry no input or result.");
        api.MapGet("/{id}", GetTask)
            .WithName("GetTask")
            .WithDescription("The whole task, with its input and its result or error.");
        api.MapPost("/{id}/cancel", CancelTask)
            .RequireAuthorization(OeeAccessPolicies.Submit)
            .WithName("CancelTask")
            .WithDescription("200 when cancelled (it was queued, or already cancelled); 202 with Location when its running body was told to stop (it ends cancelled when it does); 409 when it already finished as done or error.");
        api.MapPost("/{id}/retry", RetryTask)
            .RequireAuthorization(OeeAccessPolicies.Submit)
            .WithName("RetryTask")
            .WithDescription("200 with the task queued again for a new attempt (same id, attempt counter continuing, a fresh budget of maxAttempts attempts, dead-letter flag cleared); 409 when it is queued, scheduled, running or done: only a task that ended error or cancelled can be retried.");
        api.MapDelete("/finished", ClearFinished)
            .WithName("ClearFinishedTasks")
            .WithDescription("Removes tasks that are done, error or cancelled; with olderThan, only those finished at least that long ago.");
        return app;
    }

    /// <summary>Submit a task</summary>
    /// <param name="body">The task.</param>
    /// <param name="prefer">RFC 7240 preferences; see the description.</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="httpContext">The request.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Results<Created<SubmittedTaskResponse>, Ok<SubmittedTaskResponse>, ValidationProblem, ConflictProblem, QueueFullProblem>> SubmitTask(
        SubmitTaskBody body, [FromHeader(Name = "Prefer"), Description("RFC 7240. `return=minimal`: a 201 or 200 without a body (the id is in Location, or the request's own), and the task is not sent back. Other preferences are ignored.")] string? prefer, IOrchestrator orchestrator, HttpContext httpContext, CancellationToken cancellationToken)
    {
        // A bad duration, the orchestrator's submit rules, a used id and a full queue throw: OeeExceptionHandler answers them.
        var errors = new List<FieldError>();
        var request = TenantScope.Own(httpContext.User, body.ToRequest(), "", errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(httpContext, new OeeValidationException(errors));
        }

        if (ReturnPreference.IsMinimal(prefer))
        {
            return await SubmitMinimal(request, orchestrator, httpContext, cancellationToken);
        }

        var submitted = await orchestrator.SubmitAsync(request, cancellationToken);
        var response = new SubmittedTaskResponse(submitted.Task.ToResponse(), submitted.Created);
        return submitted.Created ? TypedResults.Created(TaskLocation(response.Id), response) : TypedResults.Ok(response);
    }

    // Prefer: return=minimal: the receipt's submit (the engine does not send the task back) and an answer without a body.
    private static async Task<Results<Created<SubmittedTaskResponse>, Ok<SubmittedTaskResponse>, ValidationProblem, ConflictProblem, QueueFullProblem>> SubmitMinimal(
        SubmitTaskRequest request, IOrchestrator orchestrator, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var receipt = await orchestrator.SubmitForReceiptAsync(request, cancellationToken);
        httpContext.Response.Headers["Preference-Applied"] = ReturnPreference.MinimalApplied;
        return receipt.Created ? TypedResults.Created(TaskLocation(receipt.Id), (SubmittedTaskResponse?)null) : TypedResults.Ok((SubmittedTaskResponse?)null);
    }

    /// <summary>Submit 1–1000 tasks in one request</summary>
    /// <param name="body">The tasks.</param>
    /// <param name="prefer">RFC 7240 preferences; see the description.</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="httpContext">The request.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Results<Ok<SubmitBatchResponse>, ValidationProblem>> SubmitBatch(
        SubmitBatchBody body, [FromHeader(Name = "Prefer"), Description("RFC 7240. `return=minimal`: created and existing tasks are answered with their id and outcome, `task` null, and are not sent back. Other preferences are ignored.")] string? prefer, IOrchestrator orchestrator, HttpContext httpContext, CancellationToken cancellationToken)
    {
        if (body.Tasks is not { } tasks)
        {
            return ApiProblems.Invalid(httpContext, OeeValidationException.For("tasks", $"A batch needs \"tasks\": an array of 1–{TaskLimits.MaxBatchSize} tasks."));
        }

        var requests = new SubmitTaskRequest[tasks.Length];
        var errors = new List<FieldError>();
        for (var i = 0; i < tasks.Length; i++)
        {
            try
            {
                // A null entry stays null: the orchestrator's check names it tasks[i].
                requests[i] = (tasks[i]?.ToRequest($"tasks[{i}].") is { } request ? TenantScope.Own(httpContext.User, request, $"tasks[{i}].", errors) : null)!;
            }
            catch (OeeValidationException invalid)
            {
                // Every task's bad fields in one 400, not only the first task's.
                errors.AddRange(invalid.Errors);
            }
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(httpContext, new OeeValidationException(errors));
        }

        BatchItemResult[] results;
        if (ReturnPreference.IsMinimal(prefer))
        {
            results = await orchestrator.SubmitBatchForReceiptsAsync(requests, cancellationToken);
            httpContext.Response.Headers["Preference-Applied"] = ReturnPreference.MinimalApplied;
        }
        else
        {
            results = await orchestrator.SubmitBatchAsync(requests, cancellationToken);
        }

        // A failed task's reason is the engine's exception message (a storage provider's names its server): the caller
        // gets what to do and the traceId, the log the reason.
        return TypedResults.Ok(BatchFailures.Hide(httpContext, [.. results.Select(r => TenantScope.Visible(httpContext.User, r))]).ToResponse());
    }

    /// <summary>Get one task</summary>
    /// <param name="id">The task id.</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="httpContext">The request.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Results<Ok<TaskResponse>, ValidationProblem, NotFoundProblem>> GetTask(
        [Identifier] string id,
        IOrchestrator orchestrator,
        HttpContext httpContext,
        CancellationToken cancellationToken)
    {
        var task = TenantScope.Visible(httpContext.User, await orchestrator.GetAsync(id, cancellationToken));
        return task is null
            ? ApiProblems.NotFound(httpContext, TenantScope.NotFound(id))
            : TypedResults.Ok(task.ToResponse());
    }

    /// <summary>List tasks</summary>
    /// <param name="status">Only tasks with this status.</param>
    /// <param name="queue">Only tasks of this queue.</param>
    /// <param name="name">Only tasks with exactly this name.</param>
    /// <param name="tag">Only tasks carrying this tag.</param>
    /// <param name="limit">Page size, 1–500 (default 50).</param>
    /// <param name="cursor">The nextCursor of the previous page, unchanged.</param>
    /// <param name="deadLettered">true: only dead-lettered tasks (ended error with their attempts used up); false: only the others.</param>
    /// <param name="parentId">Only the children of this task (e.g. a pipeline's stage tasks).</param>
    /// <param name="tenant">Only the tasks of this tenant. A tenant-bound API key always lists only its own tenant's tasks (naming another finds nothing).</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="httpContext">The request.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    /// <remarks>
    /// Query values are bound as text and checked by validation attributes, so that a bad one is a
    /// 400 naming it; the OpenAPI document gives them their types (QueryParameterTypesTransformer).
    /// </remarks>
    public static async Task<Results<Ok<TaskPageResponse>, ValidationProblem>> ListTasks(
        [FromQuery, WireName<TaskState>] string? status,
        [FromQuery, Identifier] string? queue,
        [FromQuery, StringLength(TaskLimits.MaxNameLength)] string? name,
        [FromQuery, Identifier(TaskLimits.MaxTagLength)] string? tag,
        [FromQuery, WholeNumber(1, TaskQuery.MaxLimit)] string? limit,
        [FromQuery] string? cursor,
        [FromQuery, TruthValue] string? deadLettered,
        [FromQuery, Identifier] string? parentId,
        [FromQuery, Tenant] string? tenant,
        IOrchestrator orchestrator,
        HttpContext httpContext,
        CancellationToken cancellationToken)
    {
        // A cursor the index did not issue throws OeeValidationException (only the index can tell): a 400.
        var asked = ModelMapping.ToQuery(status: status, queue: queue, name: name, tag: tag, limit: limit, cursor: cursor, deadLettered: deadLettered, parentId: parentId, tenant: tenant);
        var query = TenantScope.Narrow(httpContext.User, asked, out var nothingVisible);
        var page = await orchestrator.ListAsync(query, cancellationToken);
        return TypedResults.Ok((nothingVisible ? new TaskPage([], null) : page).ToResponse());
    }

    /// <summary>Cancel a task</summary>
    /// <param name="id">The task id.</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="httpContext">The request.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Results<Ok<TaskResponse>, Accepted<TaskResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, ForbidHttpResult>> CancelTask(
        [Identifier] string id,
        IOrchestrator orchestrator,
        HttpContext httpContext,
        CancellationToken cancellationToken)
    {
        if (await RefuseChange(id, orchestrator, httpContext, cancellationToken) is { } refused)
        {
            return refused.Forbidden is { } forbid ? forbid : refused.NotFound!;
        }

        var result = await orchestrator.CancelAsync(id, cancellationToken);
        var response = result.Task!.ToResponse();
        return result.Status == CancelStatus.Cancelled ? TypedResults.Ok(response) : TypedResults.Accepted(TaskLocation(id), response);
    }

    /// <summary>Retry a failed or cancelled task</summary>
    /// <param name="id">The task id.</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="httpContext">The request.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Results<Ok<TaskResponse>, ValidationProblem, NotFoundProblem, ConflictProblem, ForbidHttpResult>> RetryTask(
        [Identifier] string id,
        IOrchestrator orchestrator,
        HttpContext httpContext,
        CancellationToken cancellationToken)
    {
        if (await RefuseChange(id, orchestrator, httpContext, cancellationToken) is { } refused)
        {
            return refused.Forbidden is { } forbid ? forbid : refused.NotFound!;
        }

        return TypedResults.Ok((await orchestrator.RetryAsync(id, cancellationToken)).ToResponse());
    }

    /// <summary>Remove finished tasks</summary>
    /// <param name="olderThan">Only tasks finished at least this long ago: ISO 8601 (PT1H, P7D) or [d.]hh:mm:ss. When omitted, every task finished before the request began. A finished task whose parent has not finished (a running pipeline's stage) is kept either way.</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Results<Ok<ClearFinishedResponse>, ValidationProblem>> ClearFinished(
        [FromQuery(Name = "olderThan"), Duration] string? olderThan, IOrchestrator orchestrator, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ClearFinishedResponse(await orchestrator.ClearFinishedAsync(ModelMapping.ToAge(olderThan), cancellationToken)));

    // A submitter may change only its own tasks: 404 when the task does not exist or is another tenant's
    // (the same answer), 403 when it is another key's of its own tenant.
    private static async Task<(ForbidHttpResult? Forbidden, NotFoundProblem? NotFound)?> RefuseChange(
        string id, IOrchestrator orchestrator, HttpContext httpContext, CancellationToken cancellationToken)
    {
        if (httpContext.User.IsInRole(OeeRoles.Admin))
        {
            return null;
        }

        var task = TenantScope.Visible(httpContext.User, await orchestrator.GetAsync(id, cancellationToken));
        if (task is null)
        {
            return (null, ApiProblems.NotFound(httpContext, TenantScope.NotFound(id)));
        }

        return ApiCaller.MayChange(httpContext.User, task) ? null : (TypedResults.Forbid(), null);
    }

    private static string TaskLocation(string id) => $"/api/tasks/{Uri.EscapeDataString(id)}";
}
