using Oee.Grains.Contracts;

namespace Oee.Grains.Workers;

/// <summary>How one attempt of a body ended.</summary>
[GenerateSerializer, Alias("oee.task-outcome-kind")]
internal enum TaskOutcomeKind
{
    /// <summary>The body returned a result.</summary>
    Succeeded = 0,

    /// <summary>The body threw, or could not be run.</summary>
    Failed = 1,

    /// <summary>The body stopped because its cancellation token was cancelled.</summary>
    Cancelled = 2,
}

/// <summary>The result of one attempt, as reported by the worker.</summary>
[GenerateSerializer, Alias("oee.task-outcome")]
internal sealed record TaskOutcome
{
    /// <summary>How it ended.</summary>
    [Id(0)] public TaskOutcomeKind Kind { get; init; }

    /// <summary>The result as JSON text, when succeeded (or failed with a result: <see cref="Handlers.TaskFailedWithResultException"/>).</summary>
    [Id(1)] public string? Result { get; init; }

    /// <summary>The failure, when failed.</summary>
    [Id(2)] public TaskError? Error { get; init; }

    /// <summary>A body that returned.</summary>
    public static TaskOutcome Succeeded(string? result) => new() { Kind = TaskOutcomeKind.Succeeded, Result = result };

    /// <summary>A body that failed.</summary>
    public static TaskOutcome Failed(TaskError error) => new() { Kind = TaskOutcomeKind.Failed, Error = error };

    /// <summary>A body that failed and left a result (e.g. a pipeline's stages done before its maxTime).</summary>
    public static TaskOutcome Failed(TaskError error, string? result) => new() { Kind = TaskOutcomeKind.Failed, Error = error, Result = result };

    /// <summary>The error type of an attempt that ran past its task's timeout.</summary>
    public const string TimeoutErrorType = "Timeout";

    /// <summary>A body that ran past its timeout and stopped when told to.</summary>
    public static TaskOutcome TimedOut(TimeSpan timeout) =>
        Failed(new TaskError($"The body ran longer than its timeout ({timeout:c}) and was cancelled.", TimeoutErrorType));

    /// <summary>A body that ran past its timeout and ignored its cancellation for the grace after it: the engine stopped waiting.</summary>
    public static TaskOutcome Abandoned(TimeSpan timeout, TimeSpan grace, string silo) =>
        Failed(new TaskError(
            $"The body ran longer than its timeout ({timeout:c}) and did not stop within {grace:c} of being cancelled: the engine abandoned it (it may still be running on silo {silo}) and freed its slot.",
            TimeoutErrorType));

    /// <summary>A body that stopped on cancellation.</summary>
    public static TaskOutcome Cancelled() => new() { Kind = TaskOutcomeKind.Cancelled };
}
