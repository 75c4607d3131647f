namespace Oee.Grains.Telemetry;

/// <summary>
/// The names under which OEE reports what it does: add them to your own OpenTelemetry set-up, or let
/// <c>AddOeeTelemetry</c> do it (see the README's "Observability").
/// </summary>
public static class OeeTelemetry
{
    /// <summary>The name of OEE's <see cref="System.Diagnostics.Metrics.Meter"/> (task counters, queue gauges, wait and run times).</summary>
    public const string MeterName = "Oee";

    /// <summary>The name of OEE's <see cref="System.Diagnostics.ActivitySource"/> (spans <c>oee.submit</c> and <c>oee.run</c>).</summary>
    public const string ActivitySourceName = "Oee";

    /// <summary>Orleans' own meter (grain calls, activations, messaging, membership).</summary>
    public const string OrleansMeterName = "Microsoft.Orleans";

    /// <summary>
    /// .NET's own meter (instruments <c>dotnet.*</c>: garbage collections, heap sizes and pause time, the process's
    /// working set, the thread pool's threads and queue, lock contention, exceptions, JIT), exported unless
    /// <see cref="Configuration.OeeTelemetryOptions.RuntimeMetrics"/> is off. Observable instruments, read at each
    /// collection only.
    /// </summary>
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>
    /// Orleans' per-message grain-directory counters, left out of <see cref="OrleansMeterName"/> unless
    /// <see cref="Configuration.OeeTelemetryOptions.OrleansDirectoryMetrics"/> (instrument names, <c>*</c> a wildcard).
    /// </summary>
    public static readonly IReadOnlyList<string> OrleansDirectoryCounters =
        ["orleans-directory-lookups-*", "orleans-directory-registration*", "orleans-directory-unregistrations*"];

    /// <summary>
    /// Orleans' instruments recorded at every grain call and every activation (a task is one activation and
    /// about four calls: eleven recordings per task, six of them histogram records), left out of
    /// <see cref="OrleansMeterName"/> unless <see cref="Configuration.OeeTelemetryOptions.OrleansActivationMetrics"/>.
    /// </summary>
    public static readonly IReadOnlyList<string> OrleansActivationInstruments =
    [
        "orleans-app-requests-latency",
        "orleans-catalog-activation-created",
        "orleans-catalog-activation-destroyed",
        "orleans-catalog-activation-shutdown",
        "orleans-catalog-activation-latency",
        "orleans-catalog-deactivation-latency",
        "orleans-grains",
    ];

    /// <summary>The activity sources of Orleans' activity propagation (outgoing and incoming grain calls).</summary>
    public static readonly string[] OrleansActivitySourceNames = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];
}
