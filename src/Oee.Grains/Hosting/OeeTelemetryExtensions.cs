using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Oee.Grains.Configuration;
using Oee.Grains.Telemetry;

namespace Oee.Grains.Hosting;

/// <summary>OpenTelemetry for an OEE process (silo, API, or your own host), per <c>Oee:Telemetry</c>.</summary>
public static class OeeTelemetryExtensions
{
    /// <summary>
    /// Registers OpenTelemetry: OEE's meter and Orleans' meter (when <see cref="OeeTelemetryOptions.Metrics"/>),
    /// and, when an OTLP endpoint is configured, their export over OTLP plus traces of OEE's spans and
    /// Orleans' grain calls, sampled at <see cref="OeeTelemetryOptions.TraceSampleRatio"/> (a caller's decision
    /// wins). <paramref name="metrics"/> and <paramref name="tracing"/> add the host's own parts (the
    /// Prometheus endpoint, ASP.NET Core's spans); tracing is set up also without an endpoint when
    /// <paramref name="tracing"/> is given. Options are checked at once. Safe to call twice (the second call adds nothing).
    /// </summary>
    public static IServiceCollection AddOeeTelemetry(
        this IServiceCollection services,
        IConfiguration configuration,
        string defaultServiceName,
        Action<MeterProviderBuilder>? metrics = null,
        Action<TracerProviderBuilder>? tracing = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(OeeTelemetryMarker)))
        {
            return services;
        }

        services.AddSingleton<OeeTelemetryMarker>();
        var options = OeeTelemetryOptions.Read(configuration);
        var otlp = options.OtlpEndpointIn(configuration);
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.ServiceName ?? defaultServiceName, serviceInstanceId: Environment.MachineName + "-" + Environment.ProcessId));
        if (options.Metrics)
        {
            builder.WithMetrics(m =>
            {
                m.AddMeter(OeeTelemetry.MeterName, OeeTelemetry.OrleansMeterName);
                if (otlp is not null)
                {
                    m.AddOtlpExporter(o => o.Endpoint = otlp);
                }

                metrics?.Invoke(m);
            });
        }

        if (options.Tracing && (otlp is not null || tracing is not null))
        {
            builder.WithTracing(t =>
            {
                t.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)));
                t.AddSource(OeeTelemetry.ActivitySourceName);
                t.AddSource(OeeTelemetry.OrleansActivitySourceNames);
                if (otlp is not null)
                {
                    t.AddOtlpExporter(o => o.Endpoint = otlp);
                }

                tracing?.Invoke(t);
            });
        }

        return services;
    }

    private sealed class OeeTelemetryMarker;
}
