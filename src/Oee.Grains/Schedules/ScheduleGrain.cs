using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Cluster;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Storage;
using Oee.Grains.Tasks;
using Oee.Grains.Time;

namespace Oee.Grains.Schedules;

/// <summary>
/// One schedule: stores its definition and progress, and submits a task at each occurrence with the
/// deterministic id <c>schedule:{name}:{instant}</c>, first the task, then its progress, so that a retry,
/// a crash in between or a second activation finds the task already there instead of doubling it.
/// While the schedule runs, its activation is kept alive, a timer on the engine clock wakes it at the
/// next occurrence (precision), and a reminder wakes it again after its silo stops (durability).
/// Requests interleave (reads never wait for a submit); every change holds one gate, in order.
/// </summary>
[Reentrant]
internal sealed partial class ScheduleGrain(
    [PersistentState("schedule", OeeStorage.Name)] IPersistentState<ScheduleState> state,
    SubmitPolicy submitPolicy,
    IOptions<OeeOptions> engine,
    IOptions<OeeScheduleOptions> options,
    [FromKeyedServices(OeeClock.ServiceKey)] TimeProvider time,
    ILogger<ScheduleGrain> logger) : Grain, IScheduleGrain, IScheduleEngineGrain, IRemindable
{
    private const string WakeReminder = "oee-schedule-wake";

    // Timers of the engine clock cannot wait longer than ~49 days; a far occurrence is waited for in steps.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private const string RecordedAfterStop = "Submitted before the schedule's silo stopped; recorded when it woke again.";

    private readonly SemaphoreSlim gate = new(1, 1);
    private CronSchedule? schedule;
    private ActivationTimer? timer;
    private bool dirty;

    private string Name => this.GetPrimaryKeyString();

    private bool Runs => state.State.Definition is not null && !state.State.Paused;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Definition is { } definition)
        {
            schedule = CronSchedule.Of(Name, definition);
        }

        Arm(retryAfter: null);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        timer?.Dispose();
        timer = null;

        // A tick under way ends first, its write included: a read may already have shown its progress
        // (the grain is reentrant), and the next activation reads what is stored.
        try
        {
            await gate.WaitAsync(cancellationToken);
            gate.Release();
        }
        catch (OperationCanceledException)
        {
            // Orleans' deactivation timeout: the tick's occurrences are recorded by their tasks' ids anyway.
        }

        if (Runs && reason.ReasonCode == DeactivationReasonCode.ShuttingDown)
        {
            // Its silo stops: a new activation on another silo carries on at once rather than at the
            // reminder's next tick (if no silo is left, the message fails and the reminder or the next
            // silo's start wakes it).
            _ = WakeElsewhere();
        }
    }

    Task IScheduleEngineGrain.Wake() => Task.CompletedTask;

    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        // The activation set its timer; a reminder of a deleted or paused schedule is removed.
        if (!Runs)
        {
            return SetReminder(register: false);
        }

        if (timer is null)
        {
            Arm(retryAfter: null);
        }

        return Task.CompletedTask;
    }

    async Task<SchedulePutResult> IScheduleGrain.Put(ScheduleDefinition definition, CancellationToken cancellationToken)
    {
        var errors = ScheduleRules.Check(Name, definition, submitPolicy);
        if (errors.Count > 0)
        {
            return SchedulePutResult.Invalid(errors);
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            var normalized = ScheduleRules.Normalize(definition);
            var current = state.State;
            var previous = current.Copy();
            var now = time.GetUtcNow();
            SchedulePutStatus status;
            if (current.Definition is null)
            {
                status = SchedulePutStatus.Created;
                state.State = new ScheduleState
                {
                    Definition = normalized,
                    Paused = definition.Paused ?? false,
                    CreatedAt = now,
                    UpdatedAt = now,
                    Anchor = now,
                    Version = current.Version,
                };
            }
            else if (ScheduleRules.AreSame(current.Definition, normalized) && (definition.Paused is null || definition.Paused == current.Paused))
            {
                status = SchedulePutStatus.Unchanged;
            }
            else
            {
                // A new definition (or a resume) applies from now on: nothing before it is caught up.
                status = SchedulePutStatus.Updated;
                var wasPaused = current.Paused;
                current.Paused = definition.Paused ?? current.Paused;
                if (!ScheduleRules.AreSame(current.Definition, normalized) || (wasPaused && !current.Paused))
                {
                    current.Anchor = Max(current.Anchor, now);
                }

                current.Definition = normalized;
                current.UpdatedAt = now;
            }

            if (status != SchedulePutStatus.Unchanged)
            {
                // Listed first: a schedule is never stored without being listed (a listed name without a
                // schedule is left out of listings).
                await GrainFactory.GetGrain<IScheduleDirectoryEngineGrain>(0).Register(Name);
                await WriteOrRestore(previous);
                schedule = CronSchedule.Of(Name, normalized);
                LogPut(logger, Name, status, normalized.Cron, normalized.TimeZone!, state.State.Paused);
            }

            await SetReminder(register: Runs);
            Arm(retryAfter: null);
            return SchedulePutResult.Stored(status, Snapshot());
        }
        finally
        {
            gate.Release();
        }
    }

    async Task<ScheduleStatus?> IScheduleGrain.Get(CancellationToken cancellationToken)
    {
        if (state.State.Definition is null)
        {
            return null;
        }

        var snapshot = Snapshot();
        var runs = await Task.WhenAll(snapshot.Runs.Select(async run => run.TaskId is { } id
            ? run with { TaskStatus = (await GrainFactory.Reference<ITaskGrain>(id).Get(cancellationToken))?.Status }
            : run));
        return snapshot with { Runs = runs };
    }

    async Task<bool> IScheduleGrain.Delete(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (state.State.Definition is null)
            {
                return false;
            }

            var version = state.State.Version;
            await state.ClearStateAsync(cancellationToken);
            state.State = new ScheduleState { Version = version + 1 };
            schedule = null;
            Arm(retryAfter: null);
            await GrainFactory.GetGrain<IScheduleDirectoryEngineGrain>(0).Unregister(Name);
            await SetReminder(register: false);
            LogDeleted(logger, Name);
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    Task<ScheduleStatus?> IScheduleGrain.Pause(CancellationToken cancellationToken) => SetPaused(true, cancellationToken);

    Task<ScheduleStatus?> IScheduleGrain.Resume(CancellationToken cancellationToken) => SetPaused(false, cancellationToken);

    private async Task<ScheduleStatus?> SetPaused(bool paused, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var current = state.State;
            if (current.Definition is null)
            {
                return null;
            }

            if (current.Paused != paused)
            {
                var previous = current.Copy();
                var now = time.GetUtcNow();
                current.Paused = paused;
                current.UpdatedAt = now;
                if (!paused)
                {
                    // Occurrences while paused are not caught up.
                    current.Anchor = Max(current.Anchor, now);
                }

                await WriteOrRestore(previous);
                LogPaused(logger, Name, paused);
            }

            await SetReminder(register: Runs);
            Arm(retryAfter: null);
            return Snapshot();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The timer's tick: runs what is due (per the plan), records it, and sets the next tick.</summary>
    private async Task Fire()
    {
        TimeSpan? retryAfter = null;
        await gate.WaitAsync();
        try
        {
            if (Runs && schedule is not null)
            {
                await RunDue(schedule, state.State.Definition!);
            }

            if (dirty)
            {
                await Write();
            }
        }
        catch (Exception ex)
        {
            // Nothing is lost: what was submitted is recorded by its deterministic id, and the rest is
            // due again at the retry (or, once older than the misfire threshold, missed per the policy).
            retryAfter = engine.Value.DispatchRetryDelay;
            LogFireFailed(logger, ex, Name, retryAfter.Value);
            if (ex is Orleans.Storage.InconsistentStateException)
            {
                // Another activation wrote the schedule meanwhile (a rare duplicate activation): its
                // progress is taken over, and occurrences both handled are the same tasks (the same ids).
                await Reload();
            }
        }
        finally
        {
            gate.Release();
            Arm(retryAfter);
        }
    }

    private async Task RunDue(CronSchedule cron, ScheduleDefinition definition)
    {
        var current = state.State;
        var now = time.GetUtcNow();
        var misfireThreshold = options.Value.MisfireThreshold;
        if (cron.Next(current.Anchor) is { } next && next < now - misfireThreshold)
        {
            // Before missed occurrences are skipped or caught up: the ones the last activation submitted
            // but could not record (every silo stopped between the submit and the write) are runs.
            await RecordSubmittedBeyondAnchor(cron, definition, now);
        }

        var plan = OccurrencePlan.For(cron, current.Anchor, now, misfireThreshold, definition.MissedRuns, definition.MaxMissedRuns ?? ScheduleLimits.DefaultMaxMissedRuns);
        if (plan.SkippedThrough is { } skippedThrough)
        {
            current.MissedSkipped += plan.Skipped;
            current.Anchor = skippedThrough;
            dirty = true;
            LogMissed(logger, Name, plan.Skipped, skippedThrough);
        }

        var catchUps = plan.CaughtUp;
        foreach (var occurrence in plan.Runs)
        {
            var run = await RunOccurrence(occurrence, definition);
            if (catchUps > 0)
            {
                catchUps--;
                current.CaughtUp++;
            }

            Record(run);
        }
    }

    /// <summary>
    /// Records as runs the occurrences after the anchor whose tasks exist already. Occurrences are
    /// submitted oldest first and the anchor is written after them, so a stop leaves at most such a
    /// prefix: the probe ends at the first occurrence without a task.
    /// </summary>
    private async Task RecordSubmittedBeyondAnchor(CronSchedule cron, ScheduleDefinition definition, DateTimeOffset now)
    {
        var found = 0;
        foreach (var occurrence in cron.Between(state.State.Anchor, now))
        {
            var taskId = ScheduleLimits.TaskIdFor(Name, occurrence);
            if (await GrainFactory.Reference<ITaskGrain>(taskId).Get() is not { } task)
            {
                break;
            }

            // Its submit then was either taken (the template's task) or refused (another task had the id).
            Record(task.Name == definition.Task.Name && task.Handler == definition.Task.Handler
                ? new ScheduleRun { Occurrence = occurrence, Outcome = ScheduleRunOutcome.Submitted, TaskId = taskId, HandledAt = now, Detail = RecordedAfterStop }
                : RefusedAsTaken(occurrence, now, taskId));
            found++;
        }

        if (found > 0)
        {
            LogRecordedAfterStop(logger, Name, found, state.State.Anchor);
        }
    }

    /// <summary>Adds a handled occurrence to the schedule's progress: its recent runs, its last task and its anchor.</summary>
    private void Record(ScheduleRun run)
    {
        var current = state.State;
        current.Runs.Insert(0, run);
        if (current.Runs.Count > ScheduleLimits.RecentRuns)
        {
            current.Runs.RemoveRange(ScheduleLimits.RecentRuns, current.Runs.Count - ScheduleLimits.RecentRuns);
        }

        if (run.Outcome == ScheduleRunOutcome.Submitted)
        {
            current.LastTaskId = run.TaskId;
        }

        current.Anchor = run.Occurrence;
        dirty = true;
    }

    private async Task<ScheduleRun> RunOccurrence(DateTimeOffset occurrence, ScheduleDefinition definition)
    {
        var taskId = ScheduleLimits.TaskIdFor(Name, occurrence);
        if (definition.Overlap == OverlapPolicy.Skip && state.State.LastTaskId is { } previous && previous != taskId)
        {
            var previousStatus = (await GrainFactory.Reference<ITaskGrain>(previous).Get())?.Status;
            if (OverlapRule.Skips(definition.Overlap, previousStatus))
            {
                return new ScheduleRun
                {
                    Occurrence = occurrence,
                    Outcome = ScheduleRunOutcome.SkippedOverlap,
                    HandledAt = time.GetUtcNow(),
                    Detail = $"The previous run, task {previous}, was {previousStatus!.Value.ToWireName()}.",
                };
            }
        }

        var result = await GrainFactory.Reference<ITaskGrain>(taskId).Submit(definition.Task.ToRequest(taskId));
        var handledAt = time.GetUtcNow();
        return result.Status switch
        {
            SubmitStatus.Created or SubmitStatus.Existing => new ScheduleRun { Occurrence = occurrence, Outcome = ScheduleRunOutcome.Submitted, TaskId = taskId, HandledAt = handledAt },
            SubmitStatus.Conflict => RefusedAsTaken(occurrence, handledAt, taskId),
            _ => Refused(occurrence, handledAt, string.Join(" ", result.Errors.Select(e => $"task.{e.Field}: {e.Message}"))),
        };
    }

    /// <summary>The occurrence's id was taken by another task (its request differs from the template).</summary>
    private ScheduleRun RefusedAsTaken(DateTimeOffset occurrence, DateTimeOffset handledAt, string taskId) =>
        Refused(occurrence, handledAt, $"Task {taskId} already exists with a different request.");

    private ScheduleRun Refused(DateTimeOffset occurrence, DateTimeOffset handledAt, string detail)
    {
        LogRefused(logger, Name, occurrence, detail);
        return new ScheduleRun { Occurrence = occurrence, Outcome = ScheduleRunOutcome.Refused, HandledAt = handledAt, Detail = detail };
    }

    /// <summary>Sets the timer for the next occurrence (or the retry), and keeps the activation alive while the schedule runs.</summary>
    private void Arm(TimeSpan? retryAfter)
    {
        timer?.Dispose();
        timer = null;
        if (!Runs || schedule is null)
        {
            DelayDeactivation(TimeSpan.Zero);
            return;
        }

        DelayDeactivation(Timeout.InfiniteTimeSpan);
        TimeSpan due;
        if (retryAfter is { } retry)
        {
            due = retry;
        }
        else if (schedule.Next(state.State.Anchor) is { } next)
        {
            due = next - time.GetUtcNow();
            due = due < TimeSpan.Zero ? TimeSpan.Zero : due > LongestWait ? LongestWait : due;
        }
        else
        {
            // No occurrence ever again (e.g. 30 February): nothing to wait for.
            return;
        }

        timer = ActivationTimer.Start(time, Fire, due, Timeout.InfiniteTimeSpan);
    }

    private ScheduleStatus Snapshot()
    {
        var current = state.State;
        var definition = current.Definition!;
        return new ScheduleStatus
        {
            Name = Name,
            Definition = definition with { Paused = current.Paused },
            Paused = current.Paused,
            CreatedAt = current.CreatedAt,
            UpdatedAt = current.UpdatedAt,
            NextOccurrences = current.Paused || schedule is null ? [] : schedule.NextOccurrences(current.Anchor, ScheduleLimits.NextOccurrences),
            HandledThrough = current.Anchor,
            Runs = [.. current.Runs],
            MissedSkipped = current.MissedSkipped,
            CaughtUp = current.CaughtUp,
            Version = current.Version,
        };
    }

    private async Task Write()
    {
        state.State.Version++;
        await state.WriteStateAsync();
        dirty = false;
    }

    /// <summary>Writes a change; when the write fails the change is undone, so that what a read sees is what is stored.</summary>
    private async Task WriteOrRestore(ScheduleState previous)
    {
        try
        {
            await Write();
        }
        catch
        {
            state.State = previous;
            throw;
        }
    }

    private async Task Reload()
    {
        try
        {
            await state.ReadStateAsync();
            schedule = state.State.Definition is { } definition ? CronSchedule.Of(Name, definition) : null;
            dirty = false;
        }
        catch (Exception ex)
        {
            LogFireFailed(logger, ex, Name, engine.Value.DispatchRetryDelay);
        }
    }

    private async Task SetReminder(bool register)
    {
        try
        {
            await this.SetWakeReminder(WakeReminder, engine.Value.QueueWakePeriod, register);
        }
        catch (Exception ex)
        {
            LogReminderFailed(logger, ex, Name);
        }
    }

    private async Task WakeElsewhere()
    {
        try
        {
            await GrainFactory.Reference<IScheduleEngineGrain>(Name).Wake();
        }
        catch (Exception ex)
        {
            LogWakeElsewhereFailed(logger, ex, Name);
        }
    }

    private static DateTimeOffset Max(DateTimeOffset left, DateTimeOffset right) => left > right ? left : right;
}
