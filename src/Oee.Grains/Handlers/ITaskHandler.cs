namespace Oee.Grains.Handlers;

/// <summary>
/// A task body, registered in the silo under a name with
/// <see cref="TaskHandlerServiceCollectionExtensions.AddTaskHandler{THandler}"/>. A new instance
/// (from a fresh DI scope) runs each attempt. Prefer deriving from
/// <see cref="TaskHandler{TInput, TResult}"/>, which does the JSON work.
/// </summary>
public interface ITaskHandler
{
    /// <summary>
    /// Runs one attempt. Return the result as JSON text (or null). Throw to fail the task; observe
    /// <see cref="TaskContext.CancellationToken"/> so that a cancel stops the body.
    /// </summary>
    Task<string?> ExecuteAsync(TaskContext context);

    /// <summary>
    /// Checks a task's input when it is submitted; returns a message saying what to fix, or null
    /// when the input is acceptable. The default accepts anything.
    /// </summary>
    string? ValidateInput(string? input) => null;
}
