using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Oee.Api.Errors;

namespace Oee.Api.Security;

/// <summary>
/// Per-key request rate limits (ASP.NET Core's rate limiter): each API key has a token bucket of its
/// <c>RequestsPerSecond</c> (or the default) and <c>Burst</c>; a request over it answers 429 with
/// <c>Retry-After</c> as problem+json. Requests that present no valid key (they get 401 anyway) share a
/// bucket per remote address. The anonymous admin of a keyless API is not limited.
/// </summary>
internal static class ApiRateLimiting
{
    public static void Configure(RateLimiterOptions options, IServiceProvider services)
    {
        // Validated at start and fixed for the host's life: read once, not per request.
        var security = services.GetRequiredService<IOptions<OeeApiSecurityOptions>>().Value;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var keyId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
            if (!security.RequiresKeys || keyId == ApiKeyAuthenticationHandler.AnonymousName)
            {
                return RateLimitPartition.GetNoLimiter("anonymous");
            }

            var rate = keyId is not null && security.Keys.TryGetValue(keyId, out var entry)
                ? entry.RequestsPerSecond ?? security.RequestsPerSecond
                : security.RequestsPerSecond;
            var partition = keyId is not null ? "key:" + keyId : "address:" + context.Connection.RemoteIpAddress;
            return rate == 0
                ? RateLimitPartition.GetNoLimiter(partition)
                : RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = security.Burst,
                    TokensPerPeriod = rate,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
        });
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = async (rejected, cancellationToken) =>
        {
            var http = rejected.HttpContext;
            var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                ? ApiProblems.RetryAfterSeconds(retryAfter)
                : 1;
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            var problem = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = "This API key sent more requests than its rate allows; wait and send again.",
            };
            problem.Extensions["retryAfterSeconds"] = seconds;
            problem.Extensions[ApiProblems.TraceIdKey] = ApiProblems.TraceId(http);
            await http.RequestServices.GetRequiredService<IProblemDetailsService>()
                .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
        };
    }
}
