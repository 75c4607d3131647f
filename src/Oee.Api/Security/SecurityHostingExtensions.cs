using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;

namespace Oee.Api.Security;

/// <summary>Access control and request limits of the REST API, kept out of Program.cs.</summary>
internal static class SecurityHostingExtensions
{
    /// <summary>API-key authentication, the role policies, per-key rate limits, request size limits and the keyless start check.</summary>
    public static WebApplicationBuilder AddOeeSecurity(this WebApplicationBuilder builder)
    {
        var options = OeeSettings.Read(builder.Configuration, OeeApiSecurityOptions.SectionName, new OeeApiSecurityOptionsValidator());
        builder.Services.AddValidatedOptions<OeeApiSecurityOptions, OeeApiSecurityOptionsValidator>(builder.Configuration, OeeApiSecurityOptions.SectionName);
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
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
    /// Authentication, authorization and rate limiting, in that order, before the endpoints. Without keys
    /// there is nothing to limit (every request is the unlimited anonymous admin, see <see cref="ApiRateLimiting"/>),
    /// so the limiter is left out of the pipeline rather than asked for a no-op lease per request.
    /// </summary>
    public static WebApplication UseOeeSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(TenantEndpoints.Guard);
        if (app.Services.GetRequiredService<IOptions<OeeApiSecurityOptions>>().Value.RequiresKeys)
        {
            app.UseRateLimiter();
        }

        return app;
    }
}
