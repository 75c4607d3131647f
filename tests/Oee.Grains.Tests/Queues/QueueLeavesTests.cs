using System.Collections.Concurrent;
using Oee.Grains.Queues;

namespace Oee.Grains.Tests.Queues;

/// <summary>
/// The silo's batching of finished tasks leaving their queues: one call per queue for what gathered
/// while that queue's previous call was under way, and a slow or failing queue holds back only its own tasks.
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

        public async Task LeaveMany(string queue, string[] ids)
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
        var leaves = new QueueLeaves(queues.LeaveMany);

        var slow = leaves.Leave("slow", "a");
        await queues.UntilCalls(calls => calls.Any(c => c.Queue == "slow"));
        await leaves.Leave("fast", "b").WaitAsync(Deadline);
        await leaves.Leave("fast", "c").WaitAsync(Deadline);
        Assert.False(slow.IsCompleted);

        queues.Held["slow"].SetResult();
        await slow.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Tasks_finishing_while_their_queue_is_called_leave_together_in_its_next_call()
    {
        var queues = new Queues();
        var first = queues.Held["q"] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leaves = new QueueLeaves(queues.LeaveMany);

        var leaving = new List<Task> { leaves.Leave("q", "t1") };
        await queues.UntilCalls(calls => calls.Count == 1);
        leaving.AddRange(new[] { "t2", "t3", "t4" }.Select(id => leaves.Leave("q", id)));
        queues.Held.TryRemove("q", out _);
        first.SetResult();
        await Task.WhenAll(leaving).WaitAsync(Deadline);

        Assert.Equal([["t1"], ["t2", "t3", "t4"]], queues.Calls.Select(c => c.Ids));
        Assert.All(queues.Calls, c => Assert.Equal("q", c.Queue));

        // Idle again: the next task leaves at once, in a call of its own.
        await leaves.Leave("q", "t5").WaitAsync(Deadline);
        Assert.Equal(["t5"], queues.Calls.Last().Ids);
    }

    [Fact]
    public async Task A_failed_call_fails_its_own_tasks_naming_task_and_queue_and_the_queue_is_called_again_later()
    {
        var queues = new Queues();
        queues.Failing["broken"] = new InvalidOperationException("silo unreachable");
        var leaves = new QueueLeaves(queues.LeaveMany);

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => leaves.Leave("broken", "x").WaitAsync(Deadline));
        Assert.Contains("Task 'x' could not leave queue 'broken'", failed.Message);
        Assert.Contains("silo unreachable", failed.Message);
        await leaves.Leave("other", "y").WaitAsync(Deadline);

        queues.Failing.TryRemove("broken", out _);
        await leaves.Leave("broken", "z").WaitAsync(Deadline);
        Assert.Equal(["z"], queues.Calls.Last().Ids);
    }
}
