using Oee.Grains.Contracts;

namespace Oee.Grains.Tasks;

/// <summary>Decides whether a repeated submit with a used id asks for the same task.</summary>
internal static class SubmitMatcher
{
    /// <summary>True when every field the request sets (defaults applied) equals the task's.</summary>
    public static bool IsSameRequest(TaskRecord task, SubmitTaskRequest request) =>
        (request.MaxAttempts is null || request.MaxAttempts == task.MaxAttempts) &&
        string.Equals(task.Name, request.Name, StringComparison.Ordinal)
        && string.Equals(task.Handler, request.Handler, StringComparison.Ordinal)
        && string.Equals(task.Queue, request.Queue ?? TaskLimits.DefaultQueue, StringComparison.Ordinal)
        && task.Priority == (request.Priority ?? TaskLimits.DefaultPriority)
        && task.Tags.SequenceEqual(request.Tags ?? [], StringComparer.Ordinal)
        && JsonText.AreEquivalent(task.Input, request.Input);
}
