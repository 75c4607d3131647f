namespace Oee.Grains.Errors;

/// <summary>
/// The engine's storage (in durable mode its PostgreSQL database) failed or could not be reached
/// while the request was carried out. Retryable (see <see cref="OeeUnavailableException"/>): tasks
/// already accepted are not lost; they continue once the database is back. The provider's own
/// exception never crosses a grain call: only its type name and message, as text.
/// </summary>
[GenerateSerializer, Alias("oee.storage-unavailable-exception")]
public sealed class OeeStorageUnavailableException : OeeUnavailableException
{
    /// <summary>Creates the exception with a general message (used by serialization).</summary>
    public OeeStorageUnavailableException()
        : this("The storage provider failed.", "", "")
    {
    }

    /// <summary>Creates the exception from what the storage provider reported.</summary>
    /// <param name="providerMessage">The provider's message, as text.</param>
    /// <param name="providerError">The provider's error, as text (its exception type, and a SQL state when there is one).</param>
    /// <param name="operation">What the engine was doing, when known.</param>
    public OeeStorageUnavailableException(string providerMessage, string providerError, string operation)
        : base(Describe(providerMessage, operation))
    {
        ProviderMessage = providerMessage;
        ProviderError = providerError;
    }

    /// <inheritdoc />
    public override string Unavailable => "storage";

    /// <summary>The storage provider's message, e.g. "Failed to connect to 127.0.0.1:5432".</summary>
    [Id(0)]
    public string ProviderMessage { get; private set; }

    /// <summary>The storage provider's error as text, e.g. "Npgsql.PostgresException 57P01".</summary>
    [Id(1)]
    public string ProviderError { get; private set; }

    private static string Describe(string providerMessage, string operation)
    {
        var during = operation.Length > 0 ? $" during {operation}" : "";
        return $"The storage is unavailable{during}: {providerMessage} Retry later; accepted tasks are kept.";
    }
}
