using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Time;

namespace Oee.Grains.Workers;

/// <summary>
/// Runs bodies on the caller's silo. One reentrant activation per silo; each body runs on the
/// thread pool in its own DI scope, outside any grain's scheduler, so bodies run in parallel, a
/// blocking body never stalls the grain scheduler, and no grain call is held open while a body runs
/// (a body may run as long as it needs). A body's exception becomes a failed outcome. A handler that
/// needs no scope to be built (<see cref="TaskHandlerRegistry.CreateWithoutScope"/>) gets one only
/// when its body asks for a service (<see cref="AttemptServiceScope"/>).
/// </summary>
[StatelessWorker(1)]
[Reentrant]
internal sealed partial class WorkerGrain(
    TaskHandlerRegistry handlers,
    LocalAttempts attempts,
    IServiceScopeFactory scopes,
    IServiceProvider services,
    IGrainFactory grains,
    [FromKeyedServices(OeeClock.ServiceKey)] TimeProvider time,
    ILogger<WorkerGrain> logger) : Grain, IWorkerGrain
{
    ValueTask<bool> IWorkerGrain.StartBody(Immutable<TaskRecord> body)
    {
        var task = body.Value;
        if (attempts.Get(task.Id, task.Attempt) is not { } attempt)
        {
            return ValueTask.FromResult(false);
        }

        _ = Task.Run(() => Run(task, attempt), CancellationToken.None);
        return ValueTask.FromResult(true);
    }

    private async Task Run(TaskRecord task, LocalAttempts.RunningAttempt attempt)
    {
        try
        {
            attempt.SetOutcome(await RunBody(task, attempt));
        }
        catch (Exception ex)
        {
            // Not the body's failure (that is an outcome): its scope or handler could not be made.
            LogBodyFailed(logger, ex, task.Id, task.Attempt, task.Handler);
            attempt.SetOutcome(TaskOutcome.Failed(new TaskError($"The worker could not run the body: {ex.Message}", ex.GetType().FullName ?? ex.GetType().Name)));
        }
    }

    private async Task<TaskOutcome> RunBody(TaskRecord task, LocalAttempts.RunningAttempt attempt)
    {
        // A handler that needs no scope gets one only if its body asks for a service.
        var unscoped = handlers.CreateWithoutScope(services, task.Handler);
        await using var scope = new AttemptServiceScope(scopes, createNow: unscoped is null);
        var handler = unscoped ?? handlers.Resolve(scope, task.Handler);
        if (handler is null)
        {
            return TaskOutcome.Failed(new TaskError(
                $"Handler '{task.Handler}' is not registered on this silo. Registered handlers: {string.Join(", ", handlers.Names)}.",
                "UnknownHandler"));
        }

        IReadOnlyDictionary<string, string?> dependencyResults;
        try
        {
            dependencyResults = task.DependsOn.Length == 0
                ? System.Collections.ObjectModel.ReadOnlyDictionary<string, string?>.Empty
                : await DependencyResultReader.Read(grains, task.DependsOn, attempt.Token);
        }
        catch (Exception) when (attempt.Token.IsCancellationRequested)
        {
            // The attempt's token fired while its dependencies' results were read (a cancel, its timeout, a drain): it
            // ends as a body that stopped on its token does, and its task tells which it was (cancelled, Timeout, handed back).
            LogBodyEnded(logger, task.Id, task.Attempt, TaskOutcomeKind.Cancelled);
            return TaskOutcome.Cancelled();
        }
        catch (Exception ex)
        {
            // A storage failure of a dependency, most likely (a transient one, retried by a transient retry policy).
            LogDependencyReadFailed(logger, ex, task.Id, task.Attempt, ex.Message);
            return TaskOutcome.Failed(new TaskError(
                $"The results of the task's dependencies could not be read before its body began: {ex.Message}",
                ex.GetType().FullName ?? ex.GetType().Name));
        }

        var context = new TaskContext
        {
            TaskId = task.Id,
            Name = task.Name,
            Queue = task.Queue,
            Priority = task.Priority,
            Attempt = task.Attempt,
            Input = task.Input,
            CancellationToken = attempt.Token,
            Services = scope,
            Time = time,
            DependencyResults = dependencyResults,
            ConcurrencyKey = task.ConcurrencyKey,
            Tenant = task.Tenant,
            ProgressSink = attempt.Progress,
        };

        LogBodyStarted(logger, task.Id, task.Attempt, task.Handler);
        TaskOutcome outcome;
        try
        {
            outcome = TaskOutcome.Succeeded(await handler.ExecuteAsync(context));
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            outcome = TaskOutcome.Cancelled();
        }
        catch (TaskFailedWithResultException ex)
        {
            outcome = TaskOutcome.Failed(new TaskError(ex.Message, ex.ErrorType), ex.ResultJson);
        }
        catch (Exception ex)
        {
            LogBodyFailed(logger, ex, task.Id, task.Attempt, task.Handler);
            outcome = TaskOutcome.Failed(new TaskError(ex.Message, ex.GetType().FullName ?? ex.GetType().Name));
        }

        LogBodyEnded(logger, task.Id, task.Attempt, outcome.Kind);
        return outcome;
    }
}
