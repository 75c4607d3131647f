using Microsoft.AspNetCore.Authentication;
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

    /// <summary>Authentication, authorization and rate limiting, in that order, before the endpoints.</summary>
    public static WebApplication UseOeeSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(TenantEndpoints.Guard);
        app.UseRateLimiter();
        return app;
    }
}
