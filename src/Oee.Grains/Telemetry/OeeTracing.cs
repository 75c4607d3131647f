using System.Diagnostics;
using Oee.Grains.Contracts;
using Oee.Grains.WarmUp;
using Oee.Grains.Workers;

namespace Oee.Grains.Telemetry;

/// <summary>
/// OEE's spans (<see cref="OeeTelemetry.ActivitySourceName"/>): <c>oee.submit</c> where a task is
/// accepted, as a child of the caller's span that Orleans' activity propagation brings along (an HTTP
/// request of the API, a client's own span), and <c>oee.run</c> around each attempt's body, a child of
/// the submit's span wherever and whenever the body runs: the submit's context is kept on the task
/// (<see cref="TaskRecord.TraceParent"/>) only when the submit was sampled, so an unsampled or
/// untraced task costs nothing.
/// </summary>
internal static class OeeTracing
{
    private static readonly ActivitySource Source = new(OeeTelemetry.ActivitySourceName);

    /// <summary>A span for a submit to task <paramref name="taskId"/>, or null when nobody listens.</summary>
    public static Activity? StartSubmit(string taskId, SubmitTaskRequest request)
    {
        // Nothing of a warm-up (the silo's refused rounds, its tasks, the client's rounds) makes a span: a span of a refused
        // warm-up submit is an error span, at every start.
        if (!Source.HasListeners() || WarmUpTasks.IsQueue(request.Queue) || ClientWarmUp.IsWarmUpSubmit(request)
            || taskId.StartsWith(StartupWarmUp.IdPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var activity = Source.StartActivity("oee.submit", ActivityKind.Internal);
        activity?.SetTag("oee.task.id", taskId);
        activity?.SetTag("oee.queue", request.Queue ?? TaskLimits.DefaultQueue);
        activity?.SetTag("oee.handler", request.Handler);
        return activity;
    }

    /// <summary>The submit's outcome on its span.</summary>
    public static void Submitted(Activity? activity, SubmitResult result)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("oee.submit.status", result.Status.ToString());
        if (result.Status is not (SubmitStatus.Created or SubmitStatus.Existing))
        {
            activity.SetStatus(ActivityStatusCode.Error, result.Status.ToString());
        }
    }

    /// <summary>The current span's context (W3C traceparent) when it is recorded, to keep on a new task; else null.</summary>
    public static string? CurrentParent() => Activity.Current is { Recorded: true, IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>A span for one attempt's body, a child of the task's submit; null when the submit was not traced or nobody listens.</summary>
    public static Activity? StartRun(TaskRecord task)
    {
        if (task.TraceParent is not { } parent || !Source.HasListeners() || WarmUpTasks.IsQueue(task.Queue)
            || !ActivityContext.TryParse(parent, null, out var context))
        {
            return null;
        }

        var activity = Source.StartActivity("oee.run", ActivityKind.Internal, context);
        activity?.SetTag("oee.task.id", task.Id);
        activity?.SetTag("oee.queue", task.Queue);
        activity?.SetTag("oee.handler", task.Handler);
        activity?.SetTag("oee.attempt", task.Attempt);
        activity?.SetTag("oee.silo", task.Silo);
        return activity;
    }

    /// <summary>The body's outcome on its span.</summary>
    public static void Ran(Activity? activity, TaskOutcome outcome)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("oee.outcome", outcome.Kind.ToString());
        if (outcome.Kind == TaskOutcomeKind.Failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, outcome.Error?.Message);
        }
    }
}
