namespace Oee.Grains.Handlers;

/// <summary>Thrown by a body to fail its task with a plain message.</summary>
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
