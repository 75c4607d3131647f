using Oee.Grains.Contracts;

namespace Oee.Api.Errors;

/// <summary>
/// The words of a batch's <c>failed</c> tasks. A task fails when a silo or its storage could not take it, and the
/// engine's reason is the exception's own message (a database provider's names the server's address, the database and
/// its tables), which any caller, a tenant's submitter included, would read: the caller gets a fixed detail saying what
/// failed, that the task can be submitted again with its id, and the request's traceId; the API logs the causes at
/// Warning with that traceId, as <see cref="OeeExceptionHandler"/> does for a 503.
/// </summary>
internal static partial class BatchFailures
{
    /// <summary>The most distinct causes of one batch logged each on its own line (the rest are counted on one).</summary>
    public const int MaxCausesLogged = 5;

    /// <summary>The detail of a failed task of the batch with this trace id.</summary>
    public static string Detail(string traceId) =>
        "The service could not take this task for the moment (a silo or its storage failed or did not answer in time). "
        + "Submit it again with the same id, which is always safe (should it have been stored after all, the answer is 'existing'). "
        + $"The cause is in the service's log under traceId {traceId}.";

    /// <summary>The results with each failed task's reason replaced by <see cref="Detail"/>, the reasons logged.</summary>
    public static BatchItemResult[] Hide(HttpContext httpContext, BatchItemResult[] results)
    {
        if (!results.Any(r => r.Status == SubmitStatus.Failed))
        {
            return results;
        }

        var traceId = ApiProblems.TraceId(httpContext);
        var logger = httpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BatchFailures).FullName!);
        var causes = results
            .Where(r => r.Status == SubmitStatus.Failed)
            .GroupBy(r => r.Failure ?? "(no reason given)", StringComparer.Ordinal)
            .ToList();
        var method = httpContext.Request.Method;
        var path = httpContext.Request.Path.ToString();
        foreach (var cause in causes.Take(MaxCausesLogged))
        {
            LogFailed(logger, method, path, cause.Count(), cause.First().Id, traceId, cause.Key);
        }

        if (causes.Count > MaxCausesLogged)
        {
            LogMoreCauses(logger, method, path, causes.Skip(MaxCausesLogged).Sum(c => c.Count()), causes.Count - MaxCausesLogged, traceId);
        }

        var detail = Detail(traceId);
        return [.. results.Select(r => r.Status == SubmitStatus.Failed ? r with { Failure = detail } : r)];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: {Count} task(s) of the batch answered failed, e.g. '{TaskId}' (trace {TraceId}): {Cause}")]
    private static partial void LogFailed(ILogger logger, string method, string path, int count, string taskId, string traceId, string cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: {Count} more task(s) of the batch answered failed, for {Causes} other causes (trace {TraceId})")]
    private static partial void LogMoreCauses(ILogger logger, string method, string path, int count, int causes, string traceId);
}
