using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Oee.Api.Security;
using Oee.Grains.Configuration;
using Oee.Grains.Hosting;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace Oee.Api.Hosting;

/// <summary>The API's health endpoints, metrics, traces and the optional Orleans dashboard (README, "Observability").</summary>
internal static class OeeApiObservability
{
    /// <summary>The tag of the checks <c>/health/ready</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Where the Orleans dashboard is served when <see cref="OeeApiOptions.OrleansDashboard"/> is on.</summary>
    public const string DashboardPath = "/orleans";

    /// <summary>OEE's and Orleans' meters at <c>/metrics</c> (and OTLP), and traces with ASP.NET Core's request spans when OTLP is set.</summary>
    public static WebApplicationBuilder AddOeeApiTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOeeTelemetry(
            builder.Configuration,
            "oee-api",
            metrics: m => m.AddPrometheusExporter(),
            tracing: t => t.AddSource("Microsoft.AspNetCore"));
        return builder;
    }

    public static ISiloBuilder AddOeeDashboard(this ISiloBuilder silo, OeeApiOptions options)
    {
        if (options.OrleansDashboard)
        {
            silo.AddDashboard();
        }

        return silo;
    }

    public static IClientBuilder AddOeeDashboard(this IClientBuilder client, OeeApiOptions options)
    {
        if (options.OrleansDashboard)
        {
            client.AddDashboard();
        }

        return client;
    }

    /// <summary>
    /// <c>/health/live</c> (the process serves HTTP: always 200), <c>/health/ready</c> (the cluster
    /// answers a grain call and the start-up warm-up has finished: 200, else 503), <c>/health</c> (as ready, kept for existing probes),
    /// <c>/metrics</c>, and the dashboard under <see cref="DashboardPath"/> when enabled.
    /// </summary>
    public static WebApplication MapOeeObservability(this WebApplication app)
    {
        // Probes need no key; /metrics needs a reader's without a tenant (a scraper sends it as a bearer token), the
        // Orleans dashboard an admin's.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous();
        app.MapHealthChecks("/health").AllowAnonymous();
        if (OeeTelemetryOptions.Read(app.Configuration).Metrics)
        {
            app.MapPrometheusScrapingEndpoint().RequireClusterWideRead();
        }

        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OeeApiOptions>>().Value.OrleansDashboard)
        {
            app.MapOrleansDashboard(DashboardPath).RequireAuthorization(Security.OeeAccessPolicies.Administer);
        }

        return app;
    }
}
