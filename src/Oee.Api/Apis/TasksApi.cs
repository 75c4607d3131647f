using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Oee.Api.Models;
using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Api.Apis;

/// <summary><c>/api/tasks</c>: submit, get, list, cancel, clear finished.</summary>
public static class TasksApi
{
    /// <summary>Maps the task routes.</summary>
    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tasks").WithTags("Tasks");
        api.MapPost("/", SubmitTask)
            .WithName("SubmitTask")
            .WithSummary("Submit a task; 201 when created, 200 when the same request with the same id was already accepted.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/batch", SubmitBatch)
            .WithName("SubmitTaskBatch")
            .WithSummary("Submit 1–1000 tasks in one request; 200 with what became of each (created, existing, conflict, invalid, failed). A malformed task rejects the whole batch with a 400 naming tasks[i].field.")
            .ProducesValidationProblem();
        api.MapGet("/", ListTasks)
            .WithName("ListTasks")
            .WithSummary("List tasks newest first, filtered by status, queue, name and tag, paged with limit and cursor.")
            .ProducesValidationProblem();
        api.MapGet("/{id}", GetTask)
            .WithName("GetTask")
            .WithSummary("Get one task with its input, result or error.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/cancel", CancelTask)
            .WithName("CancelTask")
            .WithSummary("Cancel a task: 200 when cancelled (it was queued), 202 when its running body was told to stop, 409 when already done or failed.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/finished", ClearFinished)
            .WithName("ClearFinishedTasks")
            .WithSummary("Remove finished tasks (done, error, cancelled), only those finished at least olderThan ago when given (PT1H, P7D or hh:mm:ss).")
            .ProducesValidationProblem();
        return app;
    }

    /// <summary>POST /api/tasks.</summary>
    public static async Task<Results<Created<TaskResponse>, Ok<TaskResponse>>> SubmitTask(SubmitTaskBody body, IOrchestrator orchestrator, CancellationToken cancellationToken)
    {
        var submitted = await orchestrator.SubmitAsync(body.ToRequest(), cancellationToken);
        var response = submitted.Task.ToResponse();
        return submitted.Created
            ? TypedResults.Created($"/api/tasks/{Uri.EscapeDataString(response.Id)}", response)
            : TypedResults.Ok(response);
    }

    /// <summary>POST /api/tasks/batch.</summary>
    public static async Task<Ok<SubmitBatchResponse>> SubmitBatch(SubmitBatchBody body, IOrchestrator orchestrator, CancellationToken cancellationToken)
    {
        var tasks = body.Tasks ?? throw OeeValidationException.For("tasks", $"A batch needs \"tasks\": an array of 1–{TaskLimits.MaxBatchSize} tasks.");
        var results = await orchestrator.SubmitBatchAsync([.. tasks.Select(t => t?.ToRequest()!)], cancellationToken);
        return TypedResults.Ok(results.ToResponse());
    }

    /// <summary>GET /api/tasks/{id}.</summary>
    public static async Task<Ok<TaskResponse>> GetTask(string id, IOrchestrator orchestrator, CancellationToken cancellationToken)
    {
        var task = await orchestrator.GetAsync(id, cancellationToken) ?? throw new OeeNotFoundException("task", id);
        return TypedResults.Ok(task.ToResponse());
    }

    /// <summary>GET /api/tasks.</summary>
    public static async Task<Ok<TaskPageResponse>> ListTasks([AsParameters] ListTasksParameters parameters, IOrchestrator orchestrator, CancellationToken cancellationToken)
    {
        var page = await orchestrator.ListAsync(parameters.ToQuery(), cancellationToken);
        return TypedResults.Ok(page.ToResponse());
    }

    /// <summary>POST /api/tasks/{id}/cancel.</summary>
    public static async Task<Results<Ok<TaskResponse>, Accepted<TaskResponse>>> CancelTask(string id, IOrchestrator orchestrator, CancellationToken cancellationToken)
    {
        var result = await orchestrator.CancelAsync(id, cancellationToken);
        var response = result.Task!.ToResponse();
        return result.Status == CancelStatus.Cancelled
            ? TypedResults.Ok(response)
            : TypedResults.Accepted($"/api/tasks/{Uri.EscapeDataString(id)}", response);
    }

    /// <summary>DELETE /api/tasks/finished.</summary>
    public static async Task<Ok<ClearFinishedResponse>> ClearFinished([FromQuery] string? olderThan, IOrchestrator orchestrator, CancellationToken cancellationToken)
    {
        var removed = await orchestrator.ClearFinishedAsync(QueryParsing.ParseAge(olderThan, "olderThan"), cancellationToken);
        return TypedResults.Ok(new ClearFinishedResponse(removed));
    }
}
