using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Orleans.Runtime;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// Schedules on a cluster whose engine runs on a fake clock (memory mode): each test moves the clock
/// to an occurrence and waits, however long that takes, until the schedule has handled it.
/// </summary>
public sealed class ScheduleClockTests(FakeClockClusterFixture fixture) : IClassFixture<FakeClockClusterFixture>
{
    private static readonly TimeSpan Ten = TimeSpan.FromSeconds(10);

    private IOrchestrator Oee => fixture.Orchestrator;

    private static ScheduleDefinition EveryTenSeconds(ScheduleTaskTemplate? task = null) => new()
    {
        Cron = "*/10 * * * * *",
        Task = task ?? new ScheduleTaskTemplate { Name = "tick", Handler = "echo", Input = "{\"n\":1}" },
    };

    /// <summary>Moves the engine clock to <paramref name="instant"/> (never back).</summary>
    private void MoveTo(DateTimeOffset instant)
    {
        var now = fixture.Clock.GetUtcNow();
        if (instant > now)
        {
            fixture.Clock.Advance(instant - now);
        }
    }

    private async Task<ScheduleStatus> HandledThrough(string name, DateTimeOffset instant)
    {
        ScheduleStatus? last = null;
        await Waiting.Until(
            async () => (last = await Oee.GetScheduleAsync(name)) is { } s && s.HandledThrough >= instant,
            $"schedule {name} to handle its occurrence at {instant:O} (last seen: handled through {last?.HandledThrough:O})");
        return last!;
    }

    [Fact]
    public async Task Each_occurrence_submits_one_task_with_its_deterministic_id_at_its_instant()
    {
        var name = Waiting.Unique("every-ten");
        var saved = await Oee.PutScheduleAsync(name, EveryTenSeconds());
        Assert.Equal(SchedulePutStatus.Created, saved.Status);
        Assert.Equal(5, saved.Schedule.NextOccurrences.Length);
        Assert.All(saved.Schedule.NextOccurrences.Zip(saved.Schedule.NextOccurrences.Skip(1)), p => Assert.Equal(Ten, p.Second - p.First));
        Assert.Equal(0, saved.Schedule.NextOccurrences[0].Second % 10);

        var occurrences = saved.Schedule.NextOccurrences.Take(3).ToArray();
        foreach (var occurrence in occurrences)
        {
            MoveTo(occurrence);
            var status = await HandledThrough(name, occurrence);
            var run = status.Runs[0];
            Assert.Equal(occurrence, run.Occurrence);
            Assert.Equal(ScheduleRunOutcome.Submitted, run.Outcome);
            Assert.Equal(ScheduleLimits.TaskIdFor(name, occurrence), run.TaskId);
            Assert.Equal(occurrence, run.HandledAt);
            var task = await Oee.ForStatus(run.TaskId!, OeeTaskStatus.Done);
            Assert.Equal(occurrence, task.CreatedAt);
            Assert.Equal("tick", task.Name);
        }

        var final = (await Oee.GetScheduleAsync(name))!;
        Assert.Equal(occurrences.Reverse(), final.Runs.Select(r => r.Occurrence));
        Assert.All(final.Runs, r => Assert.Equal(OeeTaskStatus.Done, r.TaskStatus));
        Assert.Equal(occurrences[^1] + Ten, final.NextOccurrences[0]);

        // The same definition again changes nothing.
        var again = await Oee.PutScheduleAsync(name, EveryTenSeconds());
        Assert.Equal(SchedulePutStatus.Unchanged, again.Status);
        Assert.Equal(final.Version, again.Schedule.Version);
        await Oee.DeleteScheduleAsync(name);
    }

    [Theory]
    [InlineData(MissedRunPolicy.Skip, new[] { 60 }, 5)]
    [InlineData(MissedRunPolicy.RunOnce, new[] { 50, 60 }, 4)]
    [InlineData(MissedRunPolicy.RunAll, new[] { 30, 40, 50, 60 }, 2)]
    public async Task Occurrences_missed_while_the_schedule_was_down_follow_its_policy(MissedRunPolicy policy, int[] runSeconds, int skipped)
    {
        var name = Waiting.Unique("missed-" + policy.ToString().ToLowerInvariant());
        var saved = await Oee.PutScheduleAsync(name, EveryTenSeconds() with { MissedRuns = policy, MaxMissedRuns = 3 });
        var origin = saved.Schedule.NextOccurrences[0] - Ten;

        // The schedule is down (no activation, no timer) while a minute passes: six occurrences, the
        // last within the 5 s misfire threshold (late: it runs), the five before it missed.
        await fixture.Cluster.DeactivateAsync((IAddressable)fixture.Cluster.Client.GetGrain<IScheduleGrain>(name));
        MoveTo(origin + TimeSpan.FromSeconds(60));
        var status = await HandledThrough(name, origin + TimeSpan.FromSeconds(60));

        Assert.Equal(runSeconds.Reverse().Select(s => origin + TimeSpan.FromSeconds(s)), status.Runs.Select(r => r.Occurrence));
        Assert.All(status.Runs, r => Assert.Equal(ScheduleRunOutcome.Submitted, r.Outcome));
        Assert.Equal(skipped, status.MissedSkipped);
        Assert.Equal(runSeconds.Length - 1, status.CaughtUp);
        for (var second = 10; second <= 60; second += 10)
        {
            var task = await Oee.GetAsync(ScheduleLimits.TaskIdFor(name, origin + TimeSpan.FromSeconds(second)));
            Assert.Equal(runSeconds.Contains(second), task is not null);
        }

        await Oee.DeleteScheduleAsync(name);
    }

    [Fact]
    public async Task Occurrences_submitted_before_a_stop_but_not_recorded_are_runs_not_missed_ones()
    {
        var name = Waiting.Unique("stopped-mid-batch");
        var definition = EveryTenSeconds() with { MissedRuns = MissedRunPolicy.Skip };
        var saved = await Oee.PutScheduleAsync(name, definition);
        var origin = saved.Schedule.NextOccurrences[0] - Ten;

        // As if every silo had stopped after the schedule submitted its occurrences at 10 s and 20 s but
        // before it wrote its progress: their tasks exist, its anchor is still at the origin.
        await fixture.Cluster.DeactivateAsync((IAddressable)fixture.Cluster.Client.GetGrain<IScheduleGrain>(name));
        foreach (var second in new[] { 10, 20 })
        {
            await Oee.SubmitAsync(definition.Task.ToRequest(ScheduleLimits.TaskIdFor(name, origin + TimeSpan.FromSeconds(second))));
        }

        MoveTo(origin + TimeSpan.FromSeconds(60));
        var status = await HandledThrough(name, origin + TimeSpan.FromSeconds(60));

        // 10 and 20 ran before the stop, 30-50 are missed (skipped), 60 is late (within the threshold: it runs).
        Assert.Equal(new[] { 60, 20, 10 }.Select(s => origin + TimeSpan.FromSeconds(s)), status.Runs.Select(r => r.Occurrence));
        Assert.All(status.Runs, r => Assert.Equal(ScheduleRunOutcome.Submitted, r.Outcome));
        Assert.Equal(3, status.MissedSkipped);
        Assert.Equal(0, status.CaughtUp);
        for (var second = 10; second <= 60; second += 10)
        {
            var task = await Oee.GetAsync(ScheduleLimits.TaskIdFor(name, origin + TimeSpan.FromSeconds(second)));
            Assert.Equal(second is 10 or 20 or 60, task is not null);
        }

        await Oee.DeleteScheduleAsync(name);
    }

    [Fact]
    public async Task Overlap_skip_skips_occurrences_while_the_previous_run_is_unfinished()
    {
        var name = Waiting.Unique("overlap");
        var hourLong = new ScheduleTaskTemplate { Name = "long", Handler = ClockWaitHandler.Name, Input = "{\"ms\": 3600000}" };
        var saved = await Oee.PutScheduleAsync(name, EveryTenSeconds(hourLong) with { Overlap = OverlapPolicy.Skip });
        var first = saved.Schedule.NextOccurrences[0];

        MoveTo(first);
        var firstTask = (await HandledThrough(name, first)).Runs[0].TaskId!;

        MoveTo(first + Ten);
        var skipped = (await HandledThrough(name, first + Ten)).Runs[0];
        Assert.Equal(ScheduleRunOutcome.SkippedOverlap, skipped.Outcome);
        Assert.Null(skipped.TaskId);
        Assert.Contains(firstTask, skipped.Detail);
        Assert.Null(await Oee.GetAsync(ScheduleLimits.TaskIdFor(name, first + Ten)));

        // Once the previous run is final, the next occurrence runs.
        await Oee.CancelAsync(firstTask);
        await Oee.ForStatus(firstTask, OeeTaskStatus.Cancelled);
        MoveTo(first + Ten + Ten);
        var third = (await HandledThrough(name, first + Ten + Ten)).Runs[0];
        Assert.Equal(ScheduleRunOutcome.Submitted, third.Outcome);
        Assert.Equal(ScheduleLimits.TaskIdFor(name, first + Ten + Ten), third.TaskId);

        await Oee.DeleteScheduleAsync(name);
        await Oee.CancelAsync(third.TaskId!);
    }

    [Fact]
    public async Task A_paused_schedule_runs_nothing_and_resumes_from_now_without_catching_up()
    {
        var name = Waiting.Unique("pause");
        var saved = await Oee.PutScheduleAsync(name, EveryTenSeconds());
        var paused = await Oee.PauseScheduleAsync(name);
        Assert.True(paused.Paused);
        Assert.Empty(paused.NextOccurrences);

        MoveTo(saved.Schedule.NextOccurrences[2] + TimeSpan.FromSeconds(1));
        var resumed = await Oee.ResumeScheduleAsync(name);
        Assert.False(resumed.Paused);
        Assert.Equal(fixture.Clock.GetUtcNow(), resumed.HandledThrough);
        Assert.Empty(resumed.Runs);
        Assert.Equal(0, resumed.MissedSkipped);
        Assert.Equal(saved.Schedule.NextOccurrences[3], resumed.NextOccurrences[0]);
        foreach (var skipped in saved.Schedule.NextOccurrences.Take(3))
        {
            Assert.Null(await Oee.GetAsync(ScheduleLimits.TaskIdFor(name, skipped)));
        }


        MoveTo(resumed.NextOccurrences[0]);
        var status = await HandledThrough(name, resumed.NextOccurrences[0]);
        Assert.Equal([resumed.NextOccurrences[0]], status.Runs.Select(r => r.Occurrence));

        // A put with paused: true pauses too, and is listed so.
        var viaPut = await Oee.PutScheduleAsync(name, EveryTenSeconds() with { Paused = true });
        Assert.Equal(SchedulePutStatus.Updated, viaPut.Status);
        Assert.True((await Oee.ListSchedulesAsync()).Single(s => s.Name == name).Paused);
        await Oee.DeleteScheduleAsync(name);
    }

    [Fact]
    public async Task An_occurrence_whose_task_exists_is_not_submitted_again()
    {
        var name = Waiting.Unique("idempotent");
        var definition = EveryTenSeconds();
        var saved = await Oee.PutScheduleAsync(name, definition);
        var (first, second) = (saved.Schedule.NextOccurrences[0], saved.Schedule.NextOccurrences[1]);

        // As if a retry or another activation had submitted the first occurrence already, and a user
        // had taken the second's id for another task.
        var early = await Oee.SubmitAsync(definition.Task.ToRequest(ScheduleLimits.TaskIdFor(name, first)));
        await Oee.SubmitAsync(new SubmitTaskRequest { Id = ScheduleLimits.TaskIdFor(name, second), Name = "squatter", Handler = "echo" });

        MoveTo(first);
        var run = (await HandledThrough(name, first)).Runs[0];
        Assert.Equal(ScheduleRunOutcome.Submitted, run.Outcome);
        Assert.Equal(early.Task.CreatedAt, (await Oee.GetAsync(run.TaskId!))!.CreatedAt);

        MoveTo(second);
        var refused = (await HandledThrough(name, second)).Runs[0];
        Assert.Equal(ScheduleRunOutcome.Refused, refused.Outcome);
        Assert.Contains("different request", refused.Detail);
        Assert.Equal("squatter", (await Oee.GetAsync(ScheduleLimits.TaskIdFor(name, second)))!.Name);
        await Oee.DeleteScheduleAsync(name);
    }

    [Fact]
    public async Task Schedules_are_listed_until_deleted_and_unknown_ones_are_not_found()
    {
        var (a, b) = (Waiting.Unique("list-a"), Waiting.Unique("list-b"));
        await Oee.PutScheduleAsync(a, EveryTenSeconds());
        await Oee.PutScheduleAsync(b, EveryTenSeconds() with { Cron = "0 9 * * MON-FRI", TimeZone = "Europe/Berlin" });
        var listed = await Oee.ListSchedulesAsync();
        Assert.Contains(listed, s => s.Name == a);
        Assert.Equal("Europe/Berlin", listed.Single(s => s.Name == b).Definition.TimeZone);

        await Oee.DeleteScheduleAsync(a);
        Assert.DoesNotContain(await Oee.ListSchedulesAsync(), s => s.Name == a);
        Assert.Null(await Oee.GetScheduleAsync(a));
        await Assert.ThrowsAsync<OeeNotFoundException>(() => Oee.DeleteScheduleAsync(a));
        await Assert.ThrowsAsync<OeeNotFoundException>(() => Oee.PauseScheduleAsync(a));
        await Assert.ThrowsAsync<OeeNotFoundException>(() => Oee.ResumeScheduleAsync(a));
        await Oee.DeleteScheduleAsync(b);
    }

    [Fact]
    public async Task A_bad_definition_is_refused_naming_the_field_and_the_silo_checks_the_handler()
    {
        var invalid = await Assert.ThrowsAsync<OeeValidationException>(() => Oee.PutScheduleAsync("bad", EveryTenSeconds() with { Cron = "* * *", TimeZone = "Atlantis/Capital" }));
        Assert.Equal(["cron", "timeZone"], invalid.Errors.Select(e => e.Field));

        var unknownHandler = await Assert.ThrowsAsync<OeeValidationException>(() => Oee.PutScheduleAsync("bad", EveryTenSeconds(new ScheduleTaskTemplate { Name = "x", Handler = "no-such-handler" })));
        Assert.Equal("task.handler", Assert.Single(unknownHandler.Errors).Field);
        Assert.Null(await Oee.GetScheduleAsync("bad"));

        var badName = await Assert.ThrowsAsync<OeeValidationException>(() => Oee.GetScheduleAsync("a:b"));
        Assert.Equal("name", Assert.Single(badName.Errors).Field);
    }
}
