using Microsoft.Extensions.Logging;

namespace Oee.Grains.Workers;

internal sealed partial class WorkerGrain
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Body of task {TaskId} attempt {Attempt} (handler {Handler}) started")]
    private static partial void LogBodyStarted(ILogger logger, string taskId, int attempt, string handler);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Body of task {TaskId} attempt {Attempt} ended: {Outcome}")]
    private static partial void LogBodyEnded(ILogger logger, string taskId, int attempt, TaskOutcomeKind outcome);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Body of task {TaskId} attempt {Attempt} (handler {Handler}) failed")]
    private static partial void LogBodyFailed(ILogger logger, Exception exception, string taskId, int attempt, string handler);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} attempt {Attempt} failed before its body began: the results of its dependencies could not be read ({Reason})")]
    private static partial void LogDependencyReadFailed(ILogger logger, Exception exception, string taskId, int attempt, string reason);
}
