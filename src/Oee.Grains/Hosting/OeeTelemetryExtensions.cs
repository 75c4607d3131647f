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
    /// Registers OpenTelemetry: OEE's meter, .NET's runtime meter and Orleans' meter (when <see cref="OeeTelemetryOptions.Metrics"/>)
    /// for the host's own readers (<paramref name="metrics"/>: the Prometheus endpoint) and, when an OTLP
    /// endpoint is configured, for OTLP; with an OTLP endpoint also traces of OEE's spans and Orleans' grain
    /// calls (when <see cref="OeeTelemetryOptions.Tracing"/>), sampled at <see cref="OeeTelemetryOptions.TraceSampleRatio"/>
    /// (a caller's decision wins), plus the host's own sources (<paramref name="tracing"/>: ASP.NET Core's
    /// spans). Nothing read, nothing collected: without a reader or an endpoint the meters stay off.
    /// Options are checked at once. Safe to call twice (the second call adds nothing).
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
        // OEE's own endpoint is set on the exporters; without it they read the standard variables themselves.
        var own = options.OwnEndpoint;
        var metricsOverOtlp = options.SendsOverOtlp(configuration, OeeTelemetryOptions.MetricsVariable);
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.ServiceName ?? defaultServiceName, serviceInstanceId: Environment.MachineName + "-" + Environment.ProcessId));
        if (options.Metrics && (metricsOverOtlp || metrics is not null))
        {
            builder.WithMetrics(m =>
            {
                m.AddMeter(OeeTelemetry.MeterName);
                if (options.RuntimeMetrics)
                {
                    m.AddMeter(OeeTelemetry.RuntimeMeterName);
                }

                if (options.OrleansMetrics)
                {
                    m.AddMeter(OeeTelemetry.OrleansMeterName);
                    // Dropped instruments are never enabled: Orleans' recordings to them cost nothing.
                    var dropped = (options.OrleansDirectoryMetrics ? [] : OeeTelemetry.OrleansDirectoryCounters)
                        .Concat(options.OrleansActivationMetrics ? [] : OeeTelemetry.OrleansActivationInstruments);
                    foreach (var instruments in dropped)
                    {
                        m.AddView(instruments, MetricStreamConfiguration.Drop);
                    }
                }

                if (metricsOverOtlp)
                {
                    var metricsOwn = OeeTelemetryOptions.StandardEndpointIn(configuration, OeeTelemetryOptions.MetricsVariable);
                    m.AddOtlpExporter(o => OtlpSignalEndpoint.Apply(o, own, OtlpSignalEndpoint.MetricsPath, metricsOwn));
                }

                metrics?.Invoke(m);
            });
        }

        if (options.TracesExported(configuration))
        {
            builder.WithTracing(t =>
            {
                t.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)));
                t.AddSource(OeeTelemetry.ActivitySourceName);
                t.AddSource(OeeTelemetry.OrleansActivitySourceNames);
                var tracesOwn = OeeTelemetryOptions.StandardEndpointIn(configuration, OeeTelemetryOptions.TracesVariable);
                t.AddOtlpExporter(o => OtlpSignalEndpoint.Apply(o, own, OtlpSignalEndpoint.TracesPath, tracesOwn));

                tracing?.Invoke(t);
            });
        }

        return services;
    }

    private sealed class OeeTelemetryMarker;
}
