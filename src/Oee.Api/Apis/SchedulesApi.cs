using Microsoft.AspNetCore.Http.HttpResults;
using Oee.Api.Errors;
using Oee.Api.Models;
using Oee.Api.Models.Validation;
using Oee.Api.Security;
using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Api.Apis;

/// <summary><c>/api/schedules</c>: named cron schedules that submit a task at each occurrence.</summary>
public static class SchedulesApi
{
    /// <summary>Maps the schedule routes.</summary>
    public static IEndpointRouteBuilder MapSchedulesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/schedules").WithTags("Schedules");
        api.MapGet("/", ListSchedules)
            .RequireClusterWideRead()
            .WithName("ListSchedules")
            .WithDescription("Every schedule, by name, with its next occurrences and latest runs.");
        api.MapGet("/{name}", GetSchedule)
            .RequireClusterWideRead()
            .WithName("GetSchedule")
            .WithDescription("The schedule, its next (up to 5) occurrences and its latest (up to 20) runs with their tasks' statuses.");

        // The body is checked once, by the orchestrator (see PutScheduleBody).
        api.MapPut("/{name}", PutSchedule)
            .WithName("PutSchedule")
            .WithDescription("Creates (201 with Location) or replaces (200) the schedule. A changed definition applies from now on. 400 names the bad field: cron, timeZone, maxMissedRuns, task.handler, ...")
            .DisableValidation();
        api.MapDelete("/{name}", DeleteSchedule)
            .WithName("DeleteSchedule")
            .WithDescription("Removes the schedule; the tasks it submitted stay.");
        api.MapPost("/{name}/pause", PauseSchedule)
            .WithName("PauseSchedule")
            .WithDescription("No occurrence runs until it is resumed.");
        api.MapPost("/{name}/resume", ResumeSchedule)
            .WithName("ResumeSchedule")
            .WithDescription("Runs again from now on; occurrences while it was paused are not caught up.");
        return app;
    }

    /// <summary>List schedules</summary>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Ok<ScheduleResponse[]>> ListSchedules(IOrchestrator orchestrator, CancellationToken cancellationToken)
    {
        var schedules = await orchestrator.ListSchedulesAsync(cancellationToken);
        return TypedResults.Ok(schedules.Select(s => s.ToResponse()).ToArray());
    }

    /// <summary>Get one schedule</summary>
    /// <param name="name">The schedule's name.</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="httpContext">The request.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Results<Ok<ScheduleResponse>, ValidationProblem, NotFoundProblem>> GetSchedule(
        [ScheduleName] string name,
        IOrchestrator orchestrator,
        HttpContext httpContext,
        CancellationToken cancellationToken)
    {
        var schedule = await orchestrator.GetScheduleAsync(name, cancellationToken);
        return schedule is null
            ? ApiProblems.NotFound(httpContext, $"No schedule has the name '{name}'.")
            : TypedResults.Ok(schedule.ToResponse());
    }

    /// <summary>Create or replace a schedule</summary>
    /// <param name="name">The schedule's name: 1–100 characters of [A-Za-z0-9._-].</param>
    /// <param name="body">The schedule.</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Results<Created<ScheduleResponse>, Ok<ScheduleResponse>, ValidationProblem>> PutSchedule(
        [ScheduleName] string name,
        PutScheduleBody body,
        IOrchestrator orchestrator,
        CancellationToken cancellationToken)
    {
        // A bad field throws OeeValidationException: OeeExceptionHandler answers 400 naming it.
        var saved = await orchestrator.PutScheduleAsync(name, body.ToDefinition(), cancellationToken);
        var response = saved.Schedule.ToResponse();
        return saved.Status == SchedulePutStatus.Created
            ? TypedResults.Created($"/api/schedules/{Uri.EscapeDataString(name)}", response)
            : TypedResults.Ok(response);
    }

    /// <summary>Delete a schedule</summary>
    /// <param name="name">The schedule's name.</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static async Task<Results<NoContent, ValidationProblem, NotFoundProblem>> DeleteSchedule(
        [ScheduleName] string name,
        IOrchestrator orchestrator,
        CancellationToken cancellationToken)
    {
        // An unknown schedule throws OeeNotFoundException: OeeExceptionHandler answers 404.
        await orchestrator.DeleteScheduleAsync(name, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Pause a schedule</summary>
    /// <param name="name">The schedule's name.</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static Task<Results<Ok<ScheduleResponse>, ValidationProblem, NotFoundProblem>> PauseSchedule(
        [ScheduleName] string name,
        IOrchestrator orchestrator,
        CancellationToken cancellationToken) =>
        Change(orchestrator.PauseScheduleAsync(name, cancellationToken));

    /// <summary>Resume a schedule</summary>
    /// <param name="name">The schedule's name.</param>
    /// <param name="orchestrator">The OEE facade.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    public static Task<Results<Ok<ScheduleResponse>, ValidationProblem, NotFoundProblem>> ResumeSchedule(
        [ScheduleName] string name,
        IOrchestrator orchestrator,
        CancellationToken cancellationToken) =>
        Change(orchestrator.ResumeScheduleAsync(name, cancellationToken));

    // An unknown schedule throws OeeNotFoundException: OeeExceptionHandler answers 404.
    private static async Task<Results<Ok<ScheduleResponse>, ValidationProblem, NotFoundProblem>> Change(Task<ScheduleStatus> change) =>
        TypedResults.Ok((await change).ToResponse());
}
