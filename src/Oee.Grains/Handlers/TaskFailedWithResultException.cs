namespace Oee.Grains.Handlers;

/// <summary>
/// Thrown by a body to fail its task with an error type of its choosing and still leave a result
/// (e.g. a pipeline that ran past its maxTime keeps the stages done so far): the task ends
/// <c>error</c> with <see cref="ErrorType"/>, this message, and <see cref="ResultJson"/> as its result.
/// A retry policy treats it as any failure of that type (a transient one).
/// </summary>
public sealed class TaskFailedWithResultException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="errorType">The task error's type (e.g. <c>Timeout</c>).</param>
    /// <param name="resultJson">The task's result as JSON text, or null.</param>
    public TaskFailedWithResultException(string message, string errorType, string? resultJson)
        : base(message)
    {
        ErrorType = errorType;
        ResultJson = resultJson;
    }

    /// <summary>The task error's type.</summary>
    public string ErrorType { get; }

    /// <summary>The task's result as JSON text, or null.</summary>
    public string? ResultJson { get; }
}
