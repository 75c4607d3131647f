using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Oee.Api.Errors;

/// <summary>
/// A problem answer with a fixed status, typed so that it can be part of a handler's
/// <c>Results&lt;...&gt;</c>: unlike <c>NotFound&lt;ProblemDetails&gt;</c> it is written as
/// <c>application/problem+json</c> (through the problem details service, so it gets a traceId) and
/// declared so in the OpenAPI document.
/// </summary>
public abstract class StatusProblem : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ProblemDetails>, IContentTypeHttpResult
{
    /// <summary>The problem media type.</summary>
    public const string MediaType = "application/problem+json";

    private protected StatusProblem(ProblemDetails problem, int statusCode)
    {
        problem.Status = statusCode;
        Value = problem;
    }

    /// <summary>The problem written.</summary>
    public ProblemDetails Value { get; }

    /// <summary>The HTTP status.</summary>
    public int StatusCode => Value.Status!.Value;

    /// <inheritdoc />
    public string ContentType => MediaType;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    object? IValueHttpResult.Value => Value;

    /// <inheritdoc />
    public virtual Task ExecuteAsync(HttpContext httpContext) => TypedResults.Problem(Value).ExecuteAsync(httpContext);

    private protected static void Declare(EndpointBuilder builder, int statusCode) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(statusCode, typeof(ProblemDetails), [MediaType]));
}

/// <summary>A 404 problem: no such task or queue.</summary>
public sealed class NotFoundProblem : StatusProblem, IEndpointMetadataProvider
{
    internal NotFoundProblem(ProblemDetails problem)
        : base(problem, StatusCodes.Status404NotFound)
    {
    }

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status404NotFound);
}

/// <summary>A 409 problem: the request conflicts with the task as it is.</summary>
public sealed class ConflictProblem : StatusProblem, IEndpointMetadataProvider
{
    internal ConflictProblem(ProblemDetails problem)
        : base(problem, StatusCodes.Status409Conflict)
    {
    }

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status409Conflict);
}

/// <summary>
/// A 429 problem: the task's queue is full; carries <c>Retry-After</c> (seconds). Declared in the OpenAPI document with
/// <see cref="OpenApiDescription"/>, which names the route's other 429, the rate limiter's.
/// </summary>
public sealed class QueueFullProblem : StatusProblem, IEndpointMetadataProvider
{
    /// <summary>
    /// The answer's description in the OpenAPI document: a submit's 429 has two causes, a full queue (this problem) and
    /// the request rate (<see cref="Security.ApiRateLimiting"/>), which share the status code and Retry-After.
    /// </summary>
    public const string OpenApiDescription =
        "Either the queue already holds its maxPending waiting tasks (the problem's title: Queue full; nothing is stored) or the API key "
        + "(for a request without a valid key, its client address) sent more requests than its rate allows (title: Too many requests). Wait Retry-After seconds and send again.";

    internal QueueFullProblem(ProblemDetails problem, int retryAfterSeconds)
        : base(problem, StatusCodes.Status429TooManyRequests)
    {
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>The <c>Retry-After</c> header's value.</summary>
    public int RetryAfterSeconds { get; }

    /// <inheritdoc />
    public override Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return base.ExecuteAsync(httpContext);
    }

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(ProblemDetails), [MediaType]) { Description = OpenApiDescription });
}

/// <summary>
/// A 429 problem: the API key (without keys, the client address) has as many event streams open as it may
/// (<c>Oee:Api:Security:MaxEventStreamsPerKey</c>). No <c>Retry-After</c>: a place frees when one of its streams closes.
/// </summary>
public sealed class TooManyStreamsProblem : StatusProblem, IEndpointMetadataProvider
{
    /// <summary>The answer's description in the OpenAPI document.</summary>
    public const string OpenApiDescription =
        "The API key (without keys, the client address) has as many event streams open as it may (Oee:Api:Security:MaxEventStreamsPerKey): close one before opening another.";

    internal TooManyStreamsProblem(ProblemDetails problem)
        : base(problem, StatusCodes.Status429TooManyRequests)
    {
    }

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(ProblemDetails), [MediaType]) { Description = OpenApiDescription });
}
