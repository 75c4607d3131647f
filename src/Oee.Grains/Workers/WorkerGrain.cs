using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Time;

namespace Oee.Grains.Workers;

/// <summary>
/// Runs bodies on the caller's silo. One reentrant activation per silo; each body runs on the
/// thread pool in its own DI scope, so bodies run in parallel and a blocking body never stalls
/// the grain scheduler. A body's exception becomes a failed outcome.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
internal sealed partial class WorkerGrain(
    TaskHandlerRegistry handlers,
    LocalAttempts attempts,
    IServiceScopeFactory scopes,
    [FromKeyedServices(OeeClock.ServiceKey)] TimeProvider time,
    ILogger<WorkerGrain> logger) : Grain, IWorkerGrain
{
    async Task<TaskOutcome> IWorkerGrain.Execute(TaskRecord task, CancellationToken callCancellation)
    {
        // The task's own token (in-process, see LocalAttempts) or the call's, whichever fires first.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callCancellation, attempts.Find(task.Id, task.Attempt));
        var cancellationToken = linked.Token;
        await using var scope = scopes.CreateAsyncScope();
        var handler = handlers.Resolve(scope.ServiceProvider, task.Handler);
        if (handler is null)
        {
            return TaskOutcome.Failed(new TaskError(
                $"Handler '{task.Handler}' is not registered on this silo. Registered handlers: {string.Join(", ", handlers.Names)}.",
                "UnknownHandler"));
        }

        var context = new TaskContext
        {
            TaskId = task.Id,
            Name = task.Name,
            Queue = task.Queue,
            Priority = task.Priority,
            Attempt = task.Attempt,
            Input = task.Input,
            CancellationToken = cancellationToken,
            Services = scope.ServiceProvider,
            Time = time,
            ConcurrencyKey = task.ConcurrencyKey,
        };

        LogBodyStarted(logger, task.Id, task.Attempt, task.Handler);
        var outcome = await Run(handler, context, task);
        LogBodyEnded(logger, task.Id, task.Attempt, outcome.Kind);
        return outcome;
    }

    private async Task<TaskOutcome> Run(ITaskHandler handler, TaskContext context, TaskRecord task)
    {
        try
        {
            var result = await Task.Run(() => handler.ExecuteAsync(context), CancellationToken.None);
            return TaskOutcome.Succeeded(result);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            return TaskOutcome.Cancelled();
        }
        catch (Exception ex)
        {
            LogBodyFailed(logger, ex, task.Id, task.Attempt, task.Handler);
            return TaskOutcome.Failed(new TaskError(ex.Message, ex.GetType().FullName ?? ex.GetType().Name));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Body of task {TaskId} attempt {Attempt} (handler {Handler}) started")]
    private static partial void LogBodyStarted(ILogger logger, string taskId, int attempt, string handler);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Body of task {TaskId} attempt {Attempt} ended: {Outcome}")]
    private static partial void LogBodyEnded(ILogger logger, string taskId, int attempt, TaskOutcomeKind outcome);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Body of task {TaskId} attempt {Attempt} (handler {Handler}) failed")]
    private static partial void LogBodyFailed(ILogger logger, Exception exception, string taskId, int attempt, string handler);
}
