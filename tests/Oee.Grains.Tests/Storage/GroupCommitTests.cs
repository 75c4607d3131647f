using Oee.Grains.Storage;

namespace Oee.Grains.Tests.Storage;

public sealed class GroupCommitTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_idle_commit_writes_an_item_at_once()
    {
        var writes = new Writes { AnswerAtOnce = true };
        await using var commit = new GroupCommit<int, int>(writes.Write, maxBatch: 8);

        Assert.Equal(30, await commit.Add(3).WaitAsync(Deadline));
        Assert.Equal(new[] { 3 }, Assert.Single(writes.Calls));
    }

    [Fact]
    public async Task Items_handed_in_while_a_write_is_under_way_share_the_next_writes_in_order_up_to_the_batch_size()
    {
        var writes = new Writes();
        await using var commit = new GroupCommit<int, int>(writes.Write, maxBatch: 4);

        var first = commit.Add(0);
        await writes.WaitForCalls(1);
        var later = Enumerable.Range(1, 9).Select(commit.Add).ToList();
        writes.Release(0);
        await writes.WaitForCalls(2);
        writes.Release(1);
        await writes.WaitForCalls(3);
        writes.Release(2);
        await writes.WaitForCalls(4);
        writes.Release(3);

        Assert.Equal(0, await first.WaitAsync(Deadline));
        Assert.Equal(Enumerable.Range(1, 9).Select(i => i * 10), await Task.WhenAll(later).WaitAsync(Deadline));
        int[][] batches = [[0], [1, 2, 3, 4], [5, 6, 7, 8], [9]];
        Assert.Equal(batches, writes.Calls);
        Assert.Equal(4, commit.Batches);
    }

    [Fact]
    public async Task A_failed_write_fails_the_items_of_its_batch_only()
    {
        var writes = new Writes();
        await using var commit = new GroupCommit<int, int>(writes.Write, maxBatch: 8);

        var failing = commit.Add(1);
        await writes.WaitForCalls(1);
        var next = commit.Add(2);
        writes.Fail(0, new InvalidOperationException("store down"));
        await writes.WaitForCalls(2);
        writes.Release(1);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(Deadline));
        Assert.Equal("store down", error.Message);
        Assert.Equal(20, await next.WaitAsync(Deadline));
    }

    [Fact]
    public async Task An_answer_the_refusal_turns_into_an_exception_faults_its_item_only()
    {
        // Odd items are "refused" by their answer (e.g. a version conflict): each faults with its own exception,
        // while the others of the same batch get their answers.
        var writes = new Writes();
        await using var commit = new GroupCommit<int, int>(
            writes.Write,
            maxBatch: 8,
            refusedAs: static (item, answer) => item % 2 == 1 ? new InvalidOperationException($"item {item} refused ({answer})") : null);

        var first = commit.Add(0);
        await writes.WaitForCalls(1);
        var batch = Enumerable.Range(1, 4).Select(commit.Add).ToList();
        writes.Release(0);
        await writes.WaitForCalls(2);
        writes.Release(1);

        Assert.Equal(0, await first.WaitAsync(Deadline));
        Assert.Equal(new[] { 1, 2, 3, 4 }, writes.Calls[1]);
        Assert.Equal(20, await batch[1].WaitAsync(Deadline));
        Assert.Equal(40, await batch[3].WaitAsync(Deadline));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => batch[0].WaitAsync(Deadline));
        Assert.Equal("item 1 refused (10)", refused.Message);
        Assert.Equal("item 3 refused (30)", (await Assert.ThrowsAsync<InvalidOperationException>(() => batch[2].WaitAsync(Deadline))).Message);
    }

    [Fact]
    public async Task Items_of_the_same_key_never_share_a_batch_and_keep_their_order()
    {
        var writes = new Writes();
        await using var commit = new GroupCommit<int, int>(writes.Write, maxBatch: 8, oneInABatchBy: i => (i % 2).ToString());

        var first = commit.Add(10);
        await writes.WaitForCalls(1);
        var later = new[] { 1, 3, 2, 5 }.Select(commit.Add).ToList();
        writes.Release(0);
        await writes.WaitForCalls(2);
        writes.Release(1);
        await writes.WaitForCalls(3);
        writes.Release(2);
        await writes.WaitForCalls(4);
        writes.Release(3);

        await Task.WhenAll([first, .. later]).WaitAsync(Deadline);
        int[][] batches = [[10], [1, 2], [3], [5]];
        Assert.Equal(batches, writes.Calls);
    }

    [Fact]
    public async Task Dispose_waits_for_the_items_handed_in_and_later_items_are_refused()
    {
        var writes = new Writes();
        var commit = new GroupCommit<int, int>(writes.Write, maxBatch: 8);
        var first = commit.Add(1);
        await writes.WaitForCalls(1);
        var second = commit.Add(2);

        var disposing = commit.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted);
        var refused = commit.Add(3);
        writes.Release(0);
        await writes.WaitForCalls(2);
        writes.Release(1);
        await disposing.WaitAsync(Deadline);

        Assert.Equal(new[] { 10, 20 }, await Task.WhenAll(first, second).WaitAsync(Deadline));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => refused.WaitAsync(Deadline));
        Assert.Equal(2, writes.Calls.Count);
    }

    /// <summary>A write that records each call and answers it (item × 10) when the test says so.</summary>
    private sealed class Writes
    {
        private readonly List<(TaskCompletionSource Gate, int[] Items)> calls = [];
        private readonly Lock sync = new();

        public bool AnswerAtOnce { get; init; }

        public IReadOnlyList<int[]> Calls
        {
            get
            {
                lock (sync)
                {
                    return [.. calls.Select(c => c.Items)];
                }
            }
        }

        public async Task<IReadOnlyList<int>> Write(IReadOnlyList<int> items)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (sync)
            {
                calls.Add((gate, [.. items]));
            }

            if (!AnswerAtOnce)
            {
                await gate.Task;
            }

            return [.. items.Select(i => i * 10)];
        }

        public void Release(int call) => Gate(call).SetResult();

        public void Fail(int call, Exception error) => Gate(call).SetException(error);

        public async Task WaitForCalls(int count)
        {
            var until = DateTime.UtcNow + Deadline;
            while (Calls.Count < count)
            {
                Assert.True(DateTime.UtcNow < until, $"Expected {count} writes, saw {Calls.Count}.");
                await Task.Delay(5);
            }
        }

        private TaskCompletionSource Gate(int call)
        {
            lock (sync)
            {
                return calls[call].Gate;
            }
        }
    }
}
