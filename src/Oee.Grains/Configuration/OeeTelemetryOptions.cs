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
    /// The OTLP endpoint (e.g. <c>http://collector:4317</c>), the collector's base address for every signal: over
    /// HTTP/protobuf (<c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>) each goes to its path under it (<c>/v1/metrics</c>,
    /// <c>/v1/traces</c>), as with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>. Default none: the standard variables
    /// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>, <c>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</c>)
    /// apply as usual; with none of them, nothing is sent over OTLP.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The service name reported with every metric and span. Default: the process's own (<c>oee-silo</c>, <c>oee-api</c>).</summary>
    public string? ServiceName { get; set; }

    /// <summary>Reads and checks the section; throws naming each bad setting.</summary>
    public static OeeTelemetryOptions Read(IConfiguration configuration) =>
        OeeSettings.Read(configuration, SectionName, new OeeTelemetryOptionsValidator());

    /// <summary>
    /// True when traces are recorded and sent: <see cref="Tracing"/> and an OTLP endpoint for traces
    /// (<see cref="OtlpEndpoint"/>, <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>).
    /// </summary>
    public bool TracesExported(IConfiguration configuration) => Tracing && SendsOverOtlp(configuration, TracesVariable);

    /// <summary>
    /// The OTLP endpoint in force for every signal: <see cref="OtlpEndpoint"/>, else <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; null when
    /// neither is set. Throws naming the variable when it is not an absolute http(s) URL.
    /// </summary>
    public Uri? OtlpEndpointIn(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return OwnEndpoint ?? StandardEndpointIn(configuration, EndpointVariable);
    }

    /// <summary>OEE's own <see cref="OtlpEndpoint"/> (validated at start), or null when it is not set.</summary>
    internal Uri? OwnEndpoint => string.IsNullOrWhiteSpace(OtlpEndpoint) ? null : new Uri(OtlpEndpoint, UriKind.Absolute);

    /// <summary>The standard variable of every signal's OTLP endpoint.</summary>
    internal const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The standard variable of the traces' own OTLP endpoint.</summary>
    internal const string TracesVariable = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";

    /// <summary>The standard variable of the metrics' own OTLP endpoint.</summary>
    internal const string MetricsVariable = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";

    /// <summary>
    /// True when a signal goes over OTLP: OEE's own <see cref="OtlpEndpoint"/>, the standard endpoint of every signal, or the
    /// signal's own (<paramref name="signalVariable"/>, e.g. <see cref="TracesVariable"/>). Throws naming a standard variable
    /// that is not an absolute http(s) URL.
    /// </summary>
    internal bool SendsOverOtlp(IConfiguration configuration, string signalVariable) =>
        OtlpEndpointIn(configuration) is not null || StandardEndpointIn(configuration, signalVariable) is not null;

    /// <summary>
    /// The endpoint a standard variable (<paramref name="variable"/>) names, used as it is; null when unset. Throws naming the
    /// variable when it is not an absolute http(s) URL.
    /// </summary>
    internal static Uri? StandardEndpointIn(IConfiguration configuration, string variable)
    {
        var value = configuration[variable];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return TryHttpUrl(value, out var uri)
            ? uri
            : throw new InvalidOperationException($"{variable} must be an absolute http(s) URL such as http://collector:4317 (was '{value}').");
    }

    /// <summary>
    /// True when <paramref name="value"/> is an absolute http(s) URL, the only kind an OTLP endpoint may be (a value like
    /// "localhost:4317" parses as a URI whose scheme is "localhost", which would export nothing).
    /// </summary>
    internal static bool TryHttpUrl(string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri) =>
        Uri.TryCreate(value, UriKind.Absolute, out uri) && uri.Scheme is "http" or "https";
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

        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint) && !OeeTelemetryOptions.TryHttpUrl(options.OtlpEndpoint, out _))
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
