using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Oee.Api.Security;
using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Api.Errors;

/// <summary>
/// The problem results handlers return as part of their <c>Results&lt;...&gt;</c> types: 400 with
/// errors by field, 404, 409; each with the request's <c>traceId</c>, as every problem this API writes.
/// </summary>
internal static class ApiProblems
{
    /// <summary>The extension member that carries the trace id.</summary>
    public const string TraceIdKey = "traceId";

    /// <summary>The id that ties a problem to the request's logs and trace.</summary>
    public static string TraceId(HttpContext httpContext) => Activity.Current?.Id ?? httpContext.TraceIdentifier;

    /// <summary>
    /// Applied to every problem written through the problem details service (the exception handler,
    /// AddValidation's 400s, <see cref="StatusProblem"/>): the traceId, and a 400's title and detail as
    /// <see cref="Invalid"/> writes them.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Extensions.TryAdd(TraceIdKey, TraceId(context.HttpContext));
        if (problem is HttpValidationProblemDetails { Detail: null } invalid)
        {
            invalid.Title = "Invalid request";
            invalid.Detail = Detail(invalid.Errors);
        }
    }

    /// <summary>
    /// Writes a problem from middleware that answers before any endpoint (authentication's 401 and 403, the keyless API's
    /// refusals): the status, and the problem through the problem details service, with the request's traceId.
    /// </summary>
    public static Task WriteAsync(HttpContext httpContext, int status, string title, string detail)
    {
        httpContext.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions[TraceIdKey] = TraceId(httpContext);
        return httpContext.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem }).AsTask();
    }

    /// <summary>Field errors as a problem's <c>errors</c> member: the messages of each field.</summary>
    public static Dictionary<string, string[]> ByField(IEnumerable<FieldError> errors) =>
        errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());

    /// <summary>A 400 naming each invalid field.</summary>
    public static ValidationProblem Invalid(HttpContext httpContext, OeeValidationException invalid)
    {
        var errors = ByField(invalid.Errors);
        return TypedResults.ValidationProblem(
            errors,
            detail: Detail(errors),
            title: "Invalid request",
            extensions: new Dictionary<string, object?> { [TraceIdKey] = TraceId(httpContext) });
    }

    /// <summary>A 404.</summary>
    public static NotFoundProblem NotFound(HttpContext httpContext, string detail) =>
        new(Problem(httpContext, "Not found", detail));

    /// <summary>A 409.</summary>
    public static ConflictProblem Conflict(HttpContext httpContext, string detail) =>
        new(Problem(httpContext, "Conflict", detail));

    /// <summary>A 429 for a full queue, with <c>Retry-After</c> and the problem's <c>queue</c> and <c>retryAfterSeconds</c>.</summary>
    public static QueueFullProblem QueueFull(HttpContext httpContext, OeeQueueFullException full)
    {
        var seconds = RetryAfterSeconds(full.RetryAfter);
        var problem = Problem(httpContext, "Queue full", TenantScope.QueueFull(httpContext.User, full));
        problem.Extensions["queue"] = full.Queue;
        problem.Extensions["retryAfterSeconds"] = seconds;
        return new QueueFullProblem(problem, seconds);
    }

    /// <summary>A 429 for an event stream over its holder's limit, naming the limit and its setting.</summary>
    public static TooManyStreamsProblem TooManyStreams(HttpContext httpContext, EventStreamLimits streams)
    {
        var problem = Problem(httpContext, "Too many event streams", streams.RefusalDetail(httpContext));
        problem.Extensions["limit"] = streams.Limit;
        return new TooManyStreamsProblem(problem);
    }

    /// <summary>
    /// The answer to a domain error, for every endpoint (handlers let these exceptions out and
    /// <see cref="OeeExceptionHandler"/> writes what this returns): invalid input 400 naming the fields, unknown
    /// 404, a conflict 409 (a tenant key learns nothing of another tenant's task, see
    /// <see cref="TenantScope.Conflict"/>), a full queue 429 with <c>Retry-After</c>; null for any other exception.
    /// </summary>
    public static IResult? For(HttpContext httpContext, Exception exception) => exception switch
    {
        OeeValidationException invalid => Invalid(httpContext, invalid),
        OeeNotFoundException notFound => NotFound(httpContext, notFound.Message),
        OeeConflictException conflict => Conflict(httpContext, TenantScope.Conflict(httpContext.User, conflict.Current?.Id ?? "", conflict)),
        OeeQueueFullException full => QueueFull(httpContext, full),
        _ => null,
    };

    /// <summary>A <c>Retry-After</c> value: whole seconds, rounded up, at least 1.</summary>
    public static int RetryAfterSeconds(TimeSpan retryAfter) => (int)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds));

    private static string Detail(IDictionary<string, string[]> errors) =>
        string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));

    private static ProblemDetails Problem(HttpContext httpContext, string title, string detail) => new()
    {
        Title = title,
        Detail = detail,
        Extensions = { [TraceIdKey] = TraceId(httpContext) },
    };
}
