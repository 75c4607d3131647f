namespace Oee.Grains.Handlers;

/// <summary>
/// Thrown by a body to fail its task with a plain message, and to say that the failure is permanent:
/// a retry policy with <see cref="Contracts.RetryOn.Transient"/> (the default) does not retry it;
/// <see cref="Contracts.RetryOn.AllFailures"/> does. Any other exception is a transient failure.
/// </summary>
public sealed class TaskBodyFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TaskBodyFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public TaskBodyFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
