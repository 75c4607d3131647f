using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;

namespace Oee.Api.Security;

/// <summary>Access control and request limits of the REST API, kept out of Program.cs.</summary>
internal static class SecurityHostingExtensions
{
    /// <summary>API-key authentication, the role policies, per-key rate limits and event streams, request size limits and the keyless start check.</summary>
    public static WebApplicationBuilder AddOeeSecurity(this WebApplicationBuilder builder)
    {
        var options = OeeSettings.Read(builder.Configuration, OeeApiSecurityOptions.SectionName, new OeeApiSecurityOptionsValidator());
        builder.Services.AddValidatedOptions<OeeApiSecurityOptions, OeeApiSecurityOptionsValidator>(builder.Configuration, OeeApiSecurityOptions.SectionName);
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(services => new RejectedKeyLogThrottle(services.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton<EventStreamLimits>();
        builder.Services.AddAuthorization(OeeAccessPolicies.Add);
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<IServiceProvider>(ApiRateLimiting.Configure);
        builder.Services.AddHostedService<AnonymousAccessGuard>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersBytes;
            kestrel.Limits.MaxRequestHeaderCount = OeeApiSecurityOptions.MaxRequestHeaderCount;
            kestrel.Limits.MaxRequestLineSize = OeeApiSecurityOptions.MaxRequestLineBytes;
        });
        return builder;
    }

    /// <summary>
    /// Authentication, rate limiting and authorization, in that order, before the endpoints: the limiter knows the
    /// key (its bucket) and comes before authorization, so that requests with a key that is not valid share their
    /// address's bucket instead of getting an unlimited number of 401s. Without keys there is nothing to limit (every
    /// request is the unlimited anonymous admin, see <see cref="ApiRateLimiting"/>), so the limiter is left out of the
    /// pipeline; instead <see cref="AnonymousRequestGuard"/> refuses requests from other origins (and, on loopback, those
    /// not addressed to it and those a proxy forwarded).
    /// </summary>
    public static WebApplication UseOeeSecurity(this WebApplication app)
    {
        var security = app.Services.GetRequiredService<IOptions<OeeApiSecurityOptions>>().Value;
        if (!security.RequiresKeys)
        {
            var loopbackOnly = !security.AllowAnonymousOnNetwork;
            app.Use((context, next) => AnonymousRequestGuard.Check(context, next, loopbackOnly));
        }

        app.UseAuthentication();
        if (security.RequiresKeys)
        {
            app.UseRateLimiter();
        }

        app.UseAuthorization();
        app.Use(TenantEndpoints.Guard);
        return app;
    }
}
