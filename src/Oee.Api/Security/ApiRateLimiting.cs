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
/// <c>Retry-After</c> as problem+json, its detail naming the bucket that refused it (the key's, or the address's) and
/// the figures (also as <c>requestsPerSecond</c> and <c>burst</c>). Requests that present no valid key (they get 401
/// anyway) share a bucket per client address, an IPv6 address by its /64 network (<see cref="ClientNetwork"/>). The anonymous admin of a keyless API is not limited.
/// </summary>
internal static class ApiRateLimiting
{
    public static void Configure(RateLimiterOptions options, IServiceProvider services)
    {
        // Validated at start and fixed for the host's life: read once, not per request.
        var security = services.GetRequiredService<IOptions<OeeApiSecurityOptions>>().Value;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (BucketOf(context, security) is not { } bucket)
            {
                return RateLimitPartition.GetNoLimiter("anonymous");
            }

            return bucket.RequestsPerSecond == 0
                ? RateLimitPartition.GetNoLimiter(bucket.Partition)
                : RateLimitPartition.GetTokenBucketLimiter(bucket.Partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = security.Burst,
                    TokensPerPeriod = bucket.RequestsPerSecond,
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

            // Only a limited bucket refuses, so the request has one.
            var bucket = BucketOf(http, security)!.Value;
            var problem = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = RefusalDetail(bucket, security.Burst),
            };
            problem.Extensions["retryAfterSeconds"] = seconds;
            problem.Extensions["requestsPerSecond"] = bucket.RequestsPerSecond;
            problem.Extensions["burst"] = security.Burst;
            problem.Extensions[ApiProblems.TraceIdKey] = ApiProblems.TraceId(http);
            await http.RequestServices.GetRequiredService<IProblemDetailsService>()
                .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
        };
    }

    /// <summary>
    /// The bucket a request is counted in: its key's (at the key's own rate or the default), or, without a valid key,
    /// its client address's (an IPv6 address by its /64 network, see <see cref="ClientNetwork"/>; at the default rate); null for the anonymous admin of a keyless API, who is not limited.
    /// </summary>
    internal static RateBucket? BucketOf(HttpContext context, OeeApiSecurityOptions security)
    {
        var keyId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (!security.RequiresKeys || keyId == ApiKeyAuthenticationHandler.AnonymousName)
        {
            return null;
        }

        if (keyId is null)
        {
            return new RateBucket("address:" + ClientNetwork.Of(context.Connection.RemoteIpAddress), IsKey: false, security.RequestsPerSecond);
        }

        var rate = security.Keys.TryGetValue(keyId, out var entry)
            ? entry.RequestsPerSecond ?? security.RequestsPerSecond
            : security.RequestsPerSecond;
        return new RateBucket("key:" + keyId, IsKey: true, rate);
    }

    /// <summary>The 429's detail: whose bucket refused the request, and its figures.</summary>
    internal static string RefusalDetail(RateBucket bucket, int burst) => bucket.IsKey
        ? string.Create(CultureInfo.InvariantCulture, $"This API key sent more requests than its rate allows ({bucket.RequestsPerSecond} a second after a burst of {burst}); wait and send again.")
        : string.Create(CultureInfo.InvariantCulture, $"Requests without a valid API key are limited per client address (an IPv6 client by its /64 network), and this one sent more than their rate allows ({bucket.RequestsPerSecond} a second after a burst of {burst}); wait and send again.");
}

/// <summary>A rate-limit bucket: its partition, whether it is an API key's (else a client address's), and its rate.</summary>
internal readonly record struct RateBucket(string Partition, bool IsKey, int RequestsPerSecond);
