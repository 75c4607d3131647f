using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Oee.Grains.Client;
using Oee.Grains.Errors;
using Orleans.Runtime;

namespace Oee.Api.Errors;

/// <summary>
/// Maps errors to problem details: invalid input 400 (naming the field), unknown 404, conflicts
/// 409, a full queue 429 with <c>Retry-After</c>, the database or the cluster unavailable 503 with <c>Retry-After</c> (the problem's
/// <c>unavailable</c> says which); anything else is a bug: a logged 500 without internals.
/// </summary>
internal sealed partial class OeeExceptionHandler(IProblemDetailsService problems, ILogger<OeeExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The domain errors: the same answers a handler returns (one mapping for every endpoint).
        if (ApiProblems.For(httpContext, exception) is { } answer)
        {
            await answer.ExecuteAsync(httpContext);
            return true;
        }

        var problem = exception switch
        {
            BadHttpRequestException badRequest => FromBadRequest(badRequest),
            OeeUnavailableException unavailable => Unavailable(httpContext, unavailable, logger),
            SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException or TimeoutException =>
                Unavailable(httpContext, new OeeClusterUnavailableException(exception), logger),
            _ => null,
        };

        if (problem is null)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            problem = Problem(StatusCodes.Status500InternalServerError, "Internal error", "The request failed inside the service; it has been logged.");
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>
    /// The 503 of a storage or cluster outage. Its words never carry the cause's own (a database provider's message names
    /// the server's address, and any caller, a tenant's reader included, would read it): the cause is logged with the
    /// problem's trace id instead.
    /// </summary>
    private static ProblemDetails Unavailable(HttpContext httpContext, OeeUnavailableException unavailable, ILogger logger)
    {
        var seconds = (int)Math.Ceiling(Math.Max(1, unavailable.RetryAfter.TotalSeconds));
        httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var traceId = ApiProblems.TraceId(httpContext);
        LogUnavailable(logger, unavailable.Unavailable, httpContext.Request.Method, httpContext.Request.Path, traceId, unavailable.Message);
        var problem = Problem(
            StatusCodes.Status503ServiceUnavailable,
            unavailable is OeeStorageUnavailableException ? "Storage unavailable" : "Cluster unavailable",
            string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"The service's {unavailable.Unavailable} is unavailable for the moment: retry after {seconds} s (a submit is safe to repeat with the same id). The cause is in the service's log under this problem's traceId."));
        problem.Extensions["unavailable"] = unavailable.Unavailable;
        problem.Extensions["retryAfterSeconds"] = seconds;
        return problem;
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json)
        {
            var field = FieldOf(json.Path);
            return Validation(new Dictionary<string, string[]>
            {
                [field] = [field == "body" ? "The body is not valid JSON: " + json.Message : WrongValue(field, json)],
            });
        }

        if (exception.StatusCode == StatusCodes.Status400BadRequest)
        {
            // ASP.NET Core's words for a missing or null body name its parameter and suggest a service: say what to send.
            var message = exception.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
                ? "The request needs a JSON object as its body (it had none, or null)."
                : exception.Message;
            return Validation(new Dictionary<string, string[]> { ["body"] = [message] });
        }

        return Problem(exception.StatusCode, "Bad request", exception.Message);
    }

    /// <summary>
    /// A value the reader could not take, said without the reader's own words (they name .NET types: "could not be
    /// converted to System.Nullable`1[System.Decimal]"): where it is, and which members are missing when that is why.
    /// </summary>
    private static string WrongValue(string field, JsonException json)
    {
        var missing = MissingMembers().Match(json.Message);
        var where = json.LineNumber is { } line && json.BytePositionInLine is { } position
            ? $" (line {line + 1}, byte {position + 1} of the body)"
            : "";
        return missing.Success
            ? $"'{field}' lacks its required member(s) {missing.Groups[1].Value.TrimEnd('.')}{where}."
            : $"The value of '{field}' has the wrong type or form{where}: see the API's OpenAPI document for what it takes.";
    }

    [System.Text.RegularExpressions.GeneratedRegex("missing required properties including: (.+)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex MissingMembers();

    // The lists of objects in request bodies (a batch's tasks, a pipeline's stages): an error at one of their items names the item.
    private static readonly HashSet<string> ObjectLists = new(StringComparer.OrdinalIgnoreCase) { "tasks", "stages" };

    /// <summary>
    /// "$.priority" → "priority", "$.tags[2]" → "tags", "$.tasks[3].priority" → "tasks[3].priority"
    /// (a batch's task), "$.tasks[3]" → "tasks[3]" (a list of objects: the item), "$" or none → "body".
    /// </summary>
    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

        // An index at the end points into a list of values: name the list; into a list of objects (a batch's tasks, a
        // pipeline's stages), name the item, as every other error of those items does.
        if (field.EndsWith(']') && field.LastIndexOf('[') is > 0 and var open && !ObjectLists.Contains(field[..open]))
        {
            field = field[..open];
        }

        return field.Length == 0 ? "body" : string.Join('.', field.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
    }

    // Its title and detail are written by ApiProblems.Customize, as for every 400 of this API.
    private static ValidationProblemDetails Validation(IDictionary<string, string[]> errors) => new(errors)
    {
        Status = StatusCodes.Status400BadRequest,
    };

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the {Unavailable} is unavailable (trace {TraceId}): {Cause}")]
    private static partial void LogUnavailable(ILogger logger, string unavailable, string method, string path, string traceId, string cause);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
