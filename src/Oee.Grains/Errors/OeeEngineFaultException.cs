using Oee.Grains.Client;

namespace Oee.Grains.Errors;

/// <summary>
/// The engine could not complete the request because of an error of a kind it has no name for
/// (HTTP 500: a bug, to be reported). Carries the original error's type and message as text: an
/// exception type that Orleans cannot serialize is replaced by this one at the grain boundary, so
/// the caller gets the cause instead of a serialization failure.
/// </summary>
[GenerateSerializer, Alias("oee.engine-fault-exception")]
public sealed class OeeEngineFaultException : OeeException
{
    /// <summary>Creates the exception with a general message (used by serialization).</summary>
    public OeeEngineFaultException()
        : this("", "The engine failed.")
    {
    }

    /// <summary>Creates the exception from the original error's type name and message.</summary>
    public OeeEngineFaultException(string originalType, string originalMessage)
        : base($"The engine could not complete the request: {originalType}: {originalMessage}")
    {
        OriginalType = originalType;
        OriginalMessage = originalMessage;
    }

    /// <summary>The original error's type, e.g. "MyCompany.Imaging.ResizeFailedException".</summary>
    [Id(0)]
    public string OriginalType { get; private set; }

    /// <summary>The original error's message.</summary>
    [Id(1)]
    public string OriginalMessage { get; private set; }
}
