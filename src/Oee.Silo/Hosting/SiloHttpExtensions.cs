using System.Text;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Oee.Grains.Configuration;
using Oee.Grains.Hosting;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace Oee.Silo.Hosting;

/// <summary>The silo's HTTP endpoint (<c>Oee:Silo</c>), its health checks and its telemetry, kept out of Program.cs.</summary>
internal static class SiloHttpExtensions
{
    private const string ReadyTag = "ready";

    /// <summary>Telemetry, health checks, and Kestrel on <see cref="OeeSiloHttpOptions.HttpPort"/> (no HTTP server at all when it is 0).</summary>
    public static WebApplicationBuilder AddOeeSiloHttp(this WebApplicationBuilder builder)
    {
        var http = OeeSiloHttpOptions.Read(builder.Configuration);
        builder.Services.AddValidatedOptions<OeeSiloHttpOptions, OeeSiloHttpOptionsValidator>(builder.Configuration, OeeSiloHttpOptions.SectionName);
        builder.Services.AddOeeTelemetry(builder.Configuration, "oee-silo", metrics: http.Enabled ? m => m.AddPrometheusExporter() : null);
        builder.Services.AddHealthChecks()
            .AddCheck<SiloActiveHealthCheck>("silo", tags: [ReadyTag])
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        if (http.Enabled)
        {
            // Explicit endpoints win over Urls / ASPNETCORE_HTTP_PORTS, which a container image may set.
            builder.WebHost.ConfigureKestrel(k => k.Listen(http.ListenAddress, http.HttpPort));

            // The hosted services start together, so the endpoint serves while the silo joins the
            // cluster: /health/live answers 200 and /health/ready 503 ("silo: ... Joining") until the
            // silo is Active, instead of refusing connections until then (the default, one after the other).
            builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        }
        else
        {
            builder.Services.AddSingleton<IServer, NoHttpServer>();
        }

        return builder;
    }

    /// <summary>Adds the dashboard's grain statistics to the silo when <see cref="OeeSiloHttpOptions.OrleansDashboard"/> is set.</summary>
    public static ISiloBuilder AddOeeSiloDashboard(this ISiloBuilder silo, IConfiguration configuration)
    {
        if (OeeSiloHttpOptions.Read(configuration).OrleansDashboard)
        {
            silo.AddDashboard();
        }

        return silo;
    }

    /// <summary><c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>, when the endpoint is on.</summary>
    public static WebApplication MapOeeSiloHttp(this WebApplication app)
    {
        if (!OeeSiloHttpOptions.Read(app.Configuration).Enabled)
        {
            return app;
        }

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteText });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteText });
        if (OeeTelemetryOptions.Read(app.Configuration).Metrics)
        {
            app.MapPrometheusScrapingEndpoint();
        }

        return app;
    }

    /// <summary>The status, then one line per check: "database: Unhealthy: The database does not answer: ...".</summary>
    private static Task WriteText(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder(report.Status.ToString()).Append('\n');
        foreach (var (name, entry) in report.Entries)
        {
            text.Append(name).Append(": ").Append(entry.Status).Append(": ").Append(entry.Description).Append('\n');
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text.ToString());
    }

    /// <summary>Stands in for Kestrel when the silo serves no HTTP: the host runs, nothing listens.</summary>
    private sealed class NoHttpServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
