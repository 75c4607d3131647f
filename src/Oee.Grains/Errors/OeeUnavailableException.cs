using Oee.Grains.Client;

namespace Oee.Grains.Errors;

/// <summary>
/// Something the engine depends on (its database, or the cluster itself) is unavailable for the
/// moment: the request did not complete, and the same request may succeed later (HTTP 503 with
/// <c>Retry-After</c>). Retry after <see cref="RetryAfter"/> or later. A submit that failed this
/// way may or may not have been accepted: resubmit it with the same id, which is always safe (the
/// same request returns the existing task).
/// </summary>
[GenerateSerializer, Alias("oee.unavailable-exception")]
public abstract class OeeUnavailableException : OeeException
{
    /// <summary>How long a caller should wait before trying again, when nothing better is known.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Creates the exception.</summary>
    protected OeeUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>What was unavailable, in words a caller can show: "storage" or "cluster".</summary>
    public abstract string Unavailable { get; }

    /// <summary>How long to wait before retrying.</summary>
    [Id(0)]
    public TimeSpan RetryAfter { get; init; } = DefaultRetryAfter;
}
