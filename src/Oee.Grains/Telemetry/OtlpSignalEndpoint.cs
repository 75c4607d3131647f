using OpenTelemetry.Exporter;

namespace Oee.Grains.Telemetry;

/// <summary>
/// Where an OTLP exporter sends one signal when OEE's own <c>Oee:Telemetry:OtlpEndpoint</c> is set. That setting is the
/// collector's base address, as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is: over gRPC every signal goes to it as it is; over
/// HTTP/protobuf each goes to its own path under it (<c>/v1/metrics</c>, <c>/v1/traces</c>). The exporter adds that path
/// only to an endpoint it read from the variable itself, so set in code it must be added here (without it every export
/// went to the base address, and the collector answered 404).
/// </summary>
internal static class OtlpSignalEndpoint
{
    /// <summary>The metrics' path under an OTLP/HTTP collector's base address.</summary>
    public const string MetricsPath = "v1/metrics";

    /// <summary>The traces' path under an OTLP/HTTP collector's base address.</summary>
    public const string TracesPath = "v1/traces";

    /// <summary>
    /// Points the exporter at <paramref name="own"/> for its signal (OEE's setting wins); else at the signal's own standard
    /// endpoint as it is (<paramref name="signalOwn"/>: <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> or <c>…_METRICS_ENDPOINT</c>,
    /// which the exporter does not read itself); else leaves what it read from <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.
    /// </summary>
    public static void Apply(OtlpExporterOptions exporter, Uri? own, string signalPath, Uri? signalOwn)
    {
        if (own is not null)
        {
            exporter.Endpoint = exporter.Protocol == OtlpExportProtocol.HttpProtobuf ? Under(own, signalPath) : own;
        }
        else if (signalOwn is not null)
        {
            exporter.Endpoint = signalOwn;
        }
    }

    /// <summary><paramref name="signalPath"/> under the base address (its own path kept: <c>http://c:4318/otlp</c> → <c>/otlp/v1/traces</c>).</summary>
    public static Uri Under(Uri baseAddress, string signalPath)
    {
        var text = baseAddress.AbsoluteUri;
        return new Uri(text.EndsWith('/') ? text + signalPath : text + "/" + signalPath, UriKind.Absolute);
    }
}
