using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Oee.Grains.Configuration;

/// <summary>Metrics and traces, bound from <c>Oee:Telemetry</c> and checked at start (see the README's "Observability").</summary>
public sealed class OeeTelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:Telemetry";

    /// <summary>Collect OEE's and Orleans' metrics (served at <c>/metrics</c>, and sent over OTLP when an endpoint is set). Default true.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>Export Orleans' own meter (<c>Microsoft.Orleans</c>) beside OEE's when <see cref="Metrics"/> is on. Default true.</summary>
    public bool OrleansMetrics { get; set; } = true;

    /// <summary>
    /// With <see cref="OrleansMetrics"/>: also Orleans' grain-directory lookup and registration counters
    /// (<c>orleans-directory-lookups-*</c>, <c>orleans-directory-registration*</c> with the registration-duration histogram,
    /// <c>orleans-directory-unregistrations*</c>). They count every message's address lookup and every
    /// activation's registration (about twenty additions and a histogram record per task), which cost a few per cent of the CPU per
    /// task when read; Orleans' directory gauges stay either way. Default false.
    /// </summary>
    public bool OrleansDirectoryMetrics { get; set; }

    /// <summary>
    /// With <see cref="OrleansMetrics"/>: also Orleans' instruments recorded at every grain call and every
    /// activation (<see cref="Telemetry.OeeTelemetry.OrleansActivationInstruments"/>: the request-latency
    /// histogram, the activation created/destroyed/shutdown counters, the activation and deactivation latency
    /// histograms, the grain count by type). A task is one activation and about four calls, so they are about
    /// eleven recordings per task, and read by an exporter they cost about 5 % of the in-process drain's
    /// CPU per task (docs/BENCHMARKS.md, session 13). Orleans' gauges (activations, working set, directory and
    /// ring sizes) and its rare-event counters stay either way. Default false.
    /// </summary>
    public bool OrleansActivationMetrics { get; set; }

    /// <summary>
    /// Export .NET's own meter (<see cref="Telemetry.OeeTelemetry.RuntimeMeterName"/>: garbage collections, heap sizes,
    /// GC pauses, working set, thread pool, exceptions) beside OEE's when <see cref="Metrics"/> is on: what tells a
    /// silo short of memory or threads from one short of work. Read at each collection only, nothing per task. Default true.
    /// </summary>
    public bool RuntimeMetrics { get; set; } = true;

    /// <summary>
    /// Record traces (OEE's spans, Orleans' grain calls, the API's HTTP requests), propagate them over grain
    /// calls, and send them over OTLP. Only when an OTLP endpoint is set: there is nowhere else to send them,
    /// and propagation costs every grain call. Default true.
    /// </summary>
    public bool Tracing { get; set; } = true;

    /// <summary>
    /// The share of new traces recorded, 0–1 (a trace started by a caller follows the caller's decision).
    /// Default 0.1.
    /// </summary>
    public double TraceSampleRatio { get; set; } = 0.1;

    /// <summary>
    /// The OTLP endpoint (e.g. <c>http://collector:4317</c>). Default none: the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is used when set; with neither, nothing is sent over OTLP.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The service name reported with every metric and span. Default: the process's own (<c>oee-silo</c>, <c>oee-api</c>).</summary>
    public string? ServiceName { get; set; }

    /// <summary>Reads and checks the section; throws naming each bad setting.</summary>
    public static OeeTelemetryOptions Read(IConfiguration configuration) =>
        OeeSettings.Read(configuration, SectionName, new OeeTelemetryOptionsValidator());

    /// <summary>True when traces are recorded and sent: <see cref="Tracing"/> and an OTLP endpoint (<see cref="OtlpEndpointIn"/>).</summary>
    public bool TracesExported(IConfiguration configuration) => Tracing && OtlpEndpointIn(configuration) is not null;

    /// <summary>The OTLP endpoint in force: <see cref="OtlpEndpoint"/>, else <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; null when neither is set.</summary>
    public Uri? OtlpEndpointIn(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var endpoint = string.IsNullOrWhiteSpace(OtlpEndpoint) ? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] : OtlpEndpoint;
        return string.IsNullOrWhiteSpace(endpoint) ? null : new Uri(endpoint, UriKind.Absolute);
    }
}

/// <summary>Checks <see cref="OeeTelemetryOptions"/>.</summary>
internal sealed class OeeTelemetryOptionsValidator : IValidateOptions<OeeTelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, OeeTelemetryOptions options)
    {
        var failures = new List<string>();
        if (double.IsNaN(options.TraceSampleRatio) || options.TraceSampleRatio is < 0 or > 1)
        {
            failures.Add($"Oee:Telemetry:TraceSampleRatio must be from 0 to 1 (was {options.TraceSampleRatio}).");
        }

        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint)
            && (!Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            failures.Add($"Oee:Telemetry:OtlpEndpoint must be an absolute http(s) URL such as http://collector:4317 (was '{options.OtlpEndpoint}').");
        }

        if (options.ServiceName is { } service && string.IsNullOrWhiteSpace(service))
        {
            failures.Add("Oee:Telemetry:ServiceName must not be blank (leave it out for the default).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
