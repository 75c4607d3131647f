using Oee.Grains.Client;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A finished task's leave rides on its silo's next enqueue to the same queue, or waits at most
/// <see cref="OeeOptions.QueueLeaveLinger"/> (a transport wait on the system clock): a queue at its
/// concurrency limit still starts its next task once one finishes, with nothing else submitted, and the
/// engine's fake clock here, which moves only when told, never holds a slot.
/// </summary>
public sealed class QueueLeaveLingerTests(FakeClockClusterFixture fixture) : IClassFixture<FakeClockClusterFixture>
{
    private IOrchestrator Orchestrator => fixture.Orchestrator;

    private async Task<string> LimitOne(string queue)
    {
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 1 });
        return queue;
    }

    private async Task<string> Running(string queue, int ms)
    {
        var id = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "leave", Queue = queue, Handler = ClockWaitHandler.Name, Input = $"{{\"ms\": {ms}}}" })).Task.Id;
        await ClockWaitHandler.Waiting(id).WaitAsync(TimeSpan.FromSeconds(Waiting.TaskSeconds));
        return id;
    }

    /// <summary>
    /// A task that comes due while <paramref name="first"/> (a 1,000 ms body) runs, so the queue's backlog grows
    /// without an enqueue from this silo, then the first's body ends: its leave lingers. Returns the due task's id.
    /// </summary>
    private async Task<string> DueWhileRunningThenFinished(string queue, string first)
    {
        var next = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "leave", Queue = queue, Handler = "echo", Input = "1", Delay = TimeSpan.FromMilliseconds(500) })).Task.Id;
        fixture.Clock.Advance(TimeSpan.FromMilliseconds(500));
        await Waiting.Until(async () => (await Orchestrator.GetQueueAsync(queue)).Pending == 1, "the delayed task to be queued");

        fixture.Clock.Advance(TimeSpan.FromMilliseconds(500));
        await Orchestrator.ForStatus(first, OeeTaskStatus.Done);
        return next;
    }

    [Fact]
    public async Task A_task_queued_behind_the_limit_starts_when_the_running_one_finishes_without_the_clock_moving()
    {
        var queue = await LimitOne("leave-linger-limit");
        var first = await Running(queue, 1000);

        // Queued behind the limit: its enqueue's answer told this silo that tasks wait, so the leave goes at once.
        var next = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "leave", Queue = queue, Handler = "echo", Input = "1" })).Task.Id;
        Assert.Equal(OeeTaskStatus.Queued, (await Orchestrator.GetAsync(next))!.Status);

        fixture.Clock.Advance(TimeSpan.FromMilliseconds(1000));
        await Orchestrator.ForStatus(first, OeeTaskStatus.Done);
        await Orchestrator.ForStatus(next, OeeTaskStatus.Done);
    }

    [Fact]
    public async Task A_leave_that_does_not_know_of_a_waiting_task_frees_the_slot_after_the_linger_without_the_engine_clock_moving()
    {
        var queue = await LimitOne("leave-linger-due");
        var first = await Running(queue, 1000);

        // The first task's leave lingers; the linger is not an engine time rule, and the fake engine clock
        // standing still does not hold the slot.
        var next = await DueWhileRunningThenFinished(queue, first);
        await Orchestrator.ForStatus(next, OeeTaskStatus.Done);
    }

    [Fact]
    public async Task A_cancelled_running_task_frees_its_slot_before_it_reads_as_finished()
    {
        var queue = await LimitOne("leave-linger-cancel");
        var first = await Running(queue, 60_000);
        await Orchestrator.CancelAsync(first);
        await Orchestrator.ForStatus(first, OeeTaskStatus.Cancelled);
        Assert.Equal(0, (await Orchestrator.GetQueueAsync(queue)).Running);
    }

    [Fact]
    public async Task A_submit_to_the_queue_frees_a_lingering_leaves_slot_without_the_clock_moving()
    {
        var queue = await LimitOne("leave-linger-ride");
        var first = await Running(queue, 1000);
        var next = await DueWhileRunningThenFinished(queue, first);

        // The next submit to the queue frees the slot with the clock standing still: its enqueue carries
        // the lingering leave, or (should the leave be set only after it) its answer says that tasks wait.
        var third = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "leave", Queue = queue, Handler = "echo", Input = "2" })).Task.Id;
        await Orchestrator.ForStatus(next, OeeTaskStatus.Done);
        await Orchestrator.ForStatus(third, OeeTaskStatus.Done);
    }
}
