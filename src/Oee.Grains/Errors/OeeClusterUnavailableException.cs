namespace Oee.Grains.Errors;

/// <summary>
/// The cluster could not be reached or did not answer in time: no gateway, a silo that died or
/// left while the call was under way, a gateway shedding load, or the response timeout. Thrown by
/// <see cref="Client.IOrchestrator"/> in place of Orleans' own exceptions (whose type is kept in
/// <see cref="Cause"/>, and message in <see cref="Exception.Message"/>). Retryable (see <see cref="OeeUnavailableException"/>);
/// after a timeout the request may have been carried out, so resubmit a task with its id.
/// </summary>
[GenerateSerializer, Alias("oee.cluster-unavailable-exception")]
public sealed class OeeClusterUnavailableException : OeeUnavailableException
{
    /// <summary>Creates the exception with a general message (used by serialization).</summary>
    public OeeClusterUnavailableException()
        : base("The cluster is unavailable; retry later.")
    {
    }

    /// <summary>Creates the exception from the client's error.</summary>
    public OeeClusterUnavailableException(Exception cause)
        : base($"The cluster is unavailable: {(cause ?? throw new ArgumentNullException(nameof(cause))).Message} Retry later.")
    {
        Cause = cause.GetType().FullName ?? cause.GetType().Name;
    }

    /// <inheritdoc />
    public override string Unavailable => "cluster";

    /// <summary>The client error's type, e.g. "Orleans.Runtime.SiloUnavailableException".</summary>
    [Id(0)]
    public string Cause { get; private set; } = "";
}
