using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Oee.Grains.Queues;

namespace Oee.Grains.Tests.Queues;

/// <summary>
/// The silo's batching of finished tasks leaving their queues: one call per queue for what gathered
/// while that queue's previous call was under way, and a slow or failing queue holds back only its own tasks;
/// with a linger (on a fake clock here), leaves wait for the next enqueue to their queue or for the linger.
/// </summary>
public sealed class QueueLeavesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Records each call and lets the test decide when a queue's call answers.</summary>
    private sealed class Queues
    {
        public ConcurrentQueue<(string Queue, string[] Ids)> Calls { get; } = new();

        public ConcurrentDictionary<string, TaskCompletionSource> Held { get; } = new();

        public ConcurrentDictionary<string, Exception> Failing { get; } = new();

        public bool TasksWaiting { get; set; }

        public async Task<bool> LeaveMany(string queue, string[] ids)
        {
            Calls.Enqueue((queue, ids));
            if (Held.TryGetValue(queue, out var held))
            {
                await held.Task;
            }

            if (Failing.TryGetValue(queue, out var failure))
            {
                throw failure;
            }

            return TasksWaiting;
        }

        public async Task UntilCalls(Func<IReadOnlyList<(string Queue, string[] Ids)>, bool> condition)
        {
            var until = DateTime.UtcNow + Deadline;
            while (!condition([.. Calls]))
            {
                Assert.True(DateTime.UtcNow < until, "the expected leave calls did not come");
                await Task.Delay(5);
            }
        }
    }

    [Fact]
    public async Task A_queue_that_does_not_answer_holds_back_only_its_own_tasks()
    {
        var queues = new Queues();
        queues.Held["slow"] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leaves = new QueueLeaves(queues.LeaveMany, TimeProvider.System, TimeSpan.Zero);

        var slow = leaves.Leave("slow", "a", linger: true);
        await queues.UntilCalls(calls => calls.Any(c => c.Queue == "slow"));
        await leaves.Leave("fast", "b", linger: true).WaitAsync(Deadline);
        await leaves.Leave("fast", "c", linger: true).WaitAsync(Deadline);
        Assert.False(slow.IsCompleted);

        queues.Held["slow"].SetResult();
        await slow.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Tasks_finishing_while_their_queue_is_called_leave_together_in_its_next_call()
    {
        var queues = new Queues();
        var first = queues.Held["q"] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leaves = new QueueLeaves(queues.LeaveMany, TimeProvider.System, TimeSpan.Zero);

        var leaving = new List<Task> { leaves.Leave("q", "t1", linger: true) };
        await queues.UntilCalls(calls => calls.Count == 1);
        leaving.AddRange(new[] { "t2", "t3", "t4" }.Select(id => leaves.Leave("q", id)));
        queues.Held.TryRemove("q", out _);
        first.SetResult();
        await Task.WhenAll(leaving).WaitAsync(Deadline);

        Assert.Equal([["t1"], ["t2", "t3", "t4"]], queues.Calls.Select(c => c.Ids));
        Assert.All(queues.Calls, c => Assert.Equal("q", c.Queue));

        // Idle again: the next task leaves at once, in a call of its own.
        await leaves.Leave("q", "t5", linger: true).WaitAsync(Deadline);
        Assert.Equal(["t5"], queues.Calls.Last().Ids);
    }

    [Fact]
    public async Task A_failed_call_fails_its_own_tasks_naming_task_and_queue_and_the_queue_is_called_again_later()
    {
        var queues = new Queues();
        queues.Failing["broken"] = new InvalidOperationException("silo unreachable");
        var leaves = new QueueLeaves(queues.LeaveMany, TimeProvider.System, TimeSpan.Zero);

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => leaves.Leave("broken", "x", linger: true).WaitAsync(Deadline));
        Assert.Contains("Task 'x' could not leave queue 'broken'", failed.Message);
        Assert.Contains("silo unreachable", failed.Message);
        await leaves.Leave("other", "y", linger: true).WaitAsync(Deadline);

        queues.Failing.TryRemove("broken", out _);
        await leaves.Leave("broken", "z", linger: true).WaitAsync(Deadline);
        Assert.Equal(["z"], queues.Calls.Last().Ids);
    }

    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(2);

    private static FakeTimeProvider NewClock() => new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_leave_waits_for_the_linger_on_the_engine_clock_then_goes_with_the_others_gathered()
    {
        var queues = new Queues();
        var clock = NewClock();
        var leaves = new QueueLeaves(queues.LeaveMany, clock, Linger);

        var leaving = new[] { leaves.Leave("q", "a", linger: true), leaves.Leave("q", "b", linger: true) };
        clock.Advance(Linger - TimeSpan.FromTicks(1));
        await Task.Delay(50);
        Assert.Empty(queues.Calls);
        Assert.DoesNotContain(leaving, t => t.IsCompleted);

        clock.Advance(TimeSpan.FromTicks(1));
        await Task.WhenAll(leaving).WaitAsync(Deadline);
        Assert.Equal([["a", "b"]], queues.Calls.Select(c => c.Ids));
        Assert.All(queues.Calls, c => Assert.Equal("q", c.Queue));
    }

    [Fact]
    public async Task Leaves_ride_on_the_next_call_to_their_own_queue_and_no_other()
    {
        var queues = new Queues();
        var clock = NewClock();
        var leaves = new QueueLeaves(queues.LeaveMany, clock, Linger);

        var a = leaves.Leave("q1", "a", linger: true);
        var b = leaves.Leave("q1", "b", linger: true);
        var c = leaves.Leave("q2", "c", linger: true);
        Assert.Null(leaves.TakeRide("q3"));

        var ride = leaves.TakeRide("q1");
        Assert.NotNull(ride);
        Assert.Equal(["a", "b"], ride.TaskIds);
        Assert.Null(leaves.TakeRide("q1"));
        Assert.False(a.IsCompleted);

        // The queue answered the call they rode on: they have left, and no leave call of their own follows.
        ride.Delivered(tasksWaiting: false);
        await Task.WhenAll(a, b).WaitAsync(Deadline);
        Assert.False(c.IsCompleted);

        // The other queue's leave never rode on q1's call: it goes by its own linger.
        clock.Advance(Linger);
        await c.WaitAsync(Deadline);
        Assert.Equal([("q2", new[] { "c" })], queues.Calls.Select(x => (x.Queue, x.Ids)));
    }

    [Fact]
    public async Task A_submit_carries_its_queues_waiting_leaves_in_memory_mode_but_not_in_durable_mode()
    {
        var queues = new Queues();
        var clock = NewClock();
        var leaves = new QueueLeaves(queues.LeaveMany, clock, Linger);
        string[]? carried = ["not called"];
        Task<EnqueueResult> Enqueue(string[]? leaving)
        {
            carried = leaving;
            return Task.FromResult(new EnqueueResult(1, true, null, null));
        }

        // Durable: the queue would answer only once the leaving rows are deleted, so nothing rides.
        var durable = leaves.Leave("q1", "a", linger: true);
        await leaves.EnqueueOrStart("q1", withRecord: true, 0, (_, leaving) => Enqueue(leaving));
        Assert.Null(carried);
        Assert.False(durable.IsCompleted);
        clock.Advance(Linger);
        await durable.WaitAsync(Deadline);
        Assert.Equal([("q1", new[] { "a" })], queues.Calls.Select(x => (x.Queue, x.Ids)));

        // Memory: the waiting leave rides on the submit and has left when the queue answers.
        var memory = leaves.Leave("q1", "b", linger: true);
        await leaves.EnqueueOrStart("q1", withRecord: false, 0, (_, leaving) => Enqueue(leaving));
        Assert.Equal(["b"], carried!);
        await memory.WaitAsync(Deadline);
        Assert.Single(queues.Calls);
    }

    [Fact]
    public async Task The_leaves_of_a_failed_call_go_at_once_in_a_leave_call_of_their_own()
    {
        var queues = new Queues();
        var clock = NewClock();
        var leaves = new QueueLeaves(queues.LeaveMany, clock, Linger);

        var a = leaves.Leave("q", "a", linger: true);
        var ride = leaves.TakeRide("q")!;
        ride.Failed();

        // No clock advance: the ride already waited.
        await a.WaitAsync(Deadline);
        Assert.Equal([["a"]], queues.Calls.Select(c => c.Ids));
    }

    [Fact]
    public async Task While_the_queue_says_tasks_wait_to_start_a_leave_goes_at_once()
    {
        var queues = new Queues { TasksWaiting = true };
        var clock = NewClock();
        var leaves = new QueueLeaves(queues.LeaveMany, clock, Linger);

        // Told by an enqueue's answer: no clock advance needed.
        leaves.Heard("q", tasksWaiting: true);
        await leaves.Leave("q", "a", linger: true).WaitAsync(Deadline);

        // Still waiting, says the leave's own answer: the next goes at once too.
        await leaves.Leave("q", "b", linger: true).WaitAsync(Deadline);

        // Then nothing waits any more: the next leave lingers again.
        queues.TasksWaiting = false;
        await leaves.Leave("q", "c", linger: true).WaitAsync(Deadline);
        var d = leaves.Leave("q", "d", linger: true);
        await Task.Delay(50);
        Assert.False(d.IsCompleted);
        clock.Advance(Linger);
        await d.WaitAsync(Deadline);
        Assert.Equal([["a"], ["b"], ["c"], ["d"]], queues.Calls.Select(c => c.Ids));
    }

    [Fact]
    public async Task A_leave_added_to_a_waiting_batch_is_told_by_an_answer_that_tasks_wait_and_goes_at_once()
    {
        var queues = new Queues();
        var clock = NewClock();
        var leaves = new QueueLeaves(queues.LeaveMany, clock, Linger);

        var a = leaves.Leave("q", "a", linger: true);
        leaves.Heard("q", tasksWaiting: true);
        await a.WaitAsync(Deadline);
        Assert.Equal([["a"]], queues.Calls.Select(c => c.Ids));
    }

    [Fact]
    public async Task A_leave_that_something_waits_for_never_lingers()
    {
        var queues = new Queues();
        var clock = NewClock();
        var leaves = new QueueLeaves(queues.LeaveMany, clock, Linger);

        // Asked without a linger (a cancel's leave): at once, with the clock standing still.
        await leaves.Leave("q", "a").WaitAsync(Deadline);

        // A lingering one that something then waits for (the task's next change, its deactivation): hurried.
        var b = leaves.Leave("q", "b", linger: true);
        leaves.Hurry("q");
        await b.WaitAsync(Deadline);
        leaves.Hurry("nothing-waits-here");
        Assert.Equal([["a"], ["b"]], queues.Calls.Select(c => c.Ids));
    }
}
