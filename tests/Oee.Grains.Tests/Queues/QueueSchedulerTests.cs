using Oee.Grains.Queues;

namespace Oee.Grains.Tests.Queues;

public sealed partial class QueueSchedulerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static List<string> Ids(IEnumerable<QueueEntry> entries) => [.. entries.Select(e => e.TaskId)];

    [Fact]
    public void Starts_the_best_waiting_tasks_up_to_the_limit()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 2);
        scheduler.Enqueue("low", 1);
        scheduler.Enqueue("high", 9);
        scheduler.Enqueue("mid", 5);

        Assert.Equal(["high", "mid"], Ids(scheduler.TakeStarts(Now)));
        Assert.Empty(scheduler.TakeStarts(Now));
        Assert.Equal(["low"], Ids(scheduler.Waiting));
    }

    [Fact]
    public void The_limit_is_never_exceeded_whatever_happens_in_between()
    {
        var random = new Random(7);
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 3);
        var next = 0;
        for (var step = 0; step < 5_000; step++)
        {
            switch (random.Next(6))
            {
                case 0 or 1:
                    scheduler.Enqueue($"t{next++}", random.Next(0, 11));
                    break;
                case 2 when scheduler.Running.Count > 0:
                    scheduler.Leave(scheduler.Running.First().TaskId);
                    break;
                case 3 when scheduler.Running.Count > 0:
                    scheduler.Requeue(scheduler.Running.Last().TaskId);
                    break;
                case 4:
                    scheduler.Configure(random.Next(1, 6), random.Next(4) == 0);
                    break;
                default:
                    scheduler.TakeStarts(Now);
                    break;
            }

            // Lowering the limit never stops what runs; it only holds new starts until below it.
            if (step % 7 == 0)
            {
                var before = scheduler.Running.Count;
                var started = scheduler.TakeStarts(Now).Count;
                Assert.True(started == 0 || before + started <= scheduler.MaxConcurrency, $"step {step}: {before} running + {started} started > {scheduler.MaxConcurrency}");
            }
        }
    }

    [Fact]
    public void A_paused_queue_starts_nothing_until_resumed()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 5);
        Assert.True(scheduler.Configure(maxConcurrency: null, paused: true));
        scheduler.Enqueue("a", 5);
        scheduler.Enqueue("b", 5);
        Assert.Empty(scheduler.TakeStarts(Now));
        Assert.Equal(2, scheduler.Status("q").Pending);

        Assert.True(scheduler.Configure(maxConcurrency: null, paused: false));
        Assert.Equal(["a", "b"], Ids(scheduler.TakeStarts(Now)));
    }

    [Fact]
    public void Pausing_keeps_running_tasks_running()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 2);
        scheduler.Enqueue("a", 5);
        scheduler.TakeStarts(Now);
        scheduler.Configure(null, paused: true);

        Assert.True(scheduler.IsRunning("a"));
        Assert.Equal(LeaveKind.Dispatched, scheduler.Leave("a"));
        Assert.Equal(1, scheduler.Status("q").Finished);
    }

    [Fact]
    public void Configure_reports_only_real_changes_and_refuses_a_limit_below_one()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 3);
        Assert.Equal(3, scheduler.MaxConcurrency);
        Assert.False(scheduler.Configure(null, null));
        Assert.True(scheduler.Configure(3, null));
        Assert.False(scheduler.Configure(3, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.Configure(0, true));
        Assert.False(scheduler.Paused);
        Assert.Equal(3, scheduler.ConfiguredMaxConcurrency);
    }

    [Fact]
    public void Raising_the_limit_starts_more_at_once()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 1);
        foreach (var id in new[] { "a", "b", "c" })
        {
            scheduler.Enqueue(id, 5);
        }

        Assert.Single(scheduler.TakeStarts(Now));
        scheduler.Configure(3, null);
        Assert.Equal(["b", "c"], Ids(scheduler.TakeStarts(Now)));
    }

    [Fact]
    public void A_requeued_task_goes_back_to_its_old_place()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 1);
        scheduler.Enqueue("first", 5);
        scheduler.Enqueue("second", 5);
        scheduler.Enqueue("urgent-later", 9);
        Assert.Equal(["urgent-later"], Ids(scheduler.TakeStarts(Now)));

        scheduler.Enqueue("after", 9);
        Assert.True(scheduler.Requeue("urgent-later"));

        // Its sequence is older than "after", so it is first again among priority 9.
        Assert.Equal(["urgent-later", "after", "first", "second"], Ids(scheduler.Waiting));
        var status = scheduler.Status("q");
        Assert.Equal(0, status.Running);
        Assert.Equal(0, status.Started);
    }

    [Fact]
    public void Requeue_of_a_task_that_is_not_running_changes_nothing()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 1);
        scheduler.Enqueue("waiting", 5);
        scheduler.Enqueue("other", 5);
        scheduler.TakeStarts(Now);

        Assert.False(scheduler.Requeue("other"));
        Assert.False(scheduler.Requeue("unknown"));
        Assert.Equal(["other"], Ids(scheduler.Waiting));
    }

    [Fact]
    public void Reserved_blocks_keep_batch_order_whatever_order_the_tasks_arrive_in()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 1);
        scheduler.Configure(null, paused: true);
        scheduler.Enqueue("before", 5);
        var first = scheduler.Reserve(4);
        scheduler.Enqueue("after", 5);

        // The batch's tasks arrive in reverse; each takes its reserved number.
        for (var k = 3; k >= 0; k--)
        {
            scheduler.Enqueue($"batch-{k}", 5, first + k);
        }

        Assert.Equal(["before", "batch-0", "batch-1", "batch-2", "batch-3", "after"], Ids(scheduler.Waiting));
    }

    [Fact]
    public void A_number_never_reserved_is_refused()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 1);
        var first = scheduler.Reserve(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.Enqueue("t", 5, first + 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.Enqueue("t", 5, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.Reserve(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.Reserve(1001));
        Assert.Equal(first + 2, scheduler.NextSequence);
        Assert.Empty(scheduler.Waiting);
    }

    [Fact]
    public void A_repeated_enqueue_keeps_the_task_where_it_is()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 1);
        var added = scheduler.Enqueue("a", 5);
        scheduler.Enqueue("b", 5);
        scheduler.TakeStarts(Now);

        Assert.Equal(EnqueueKind.Added, added.Kind);
        Assert.Equal(new EnqueueDecision(added.Entry, EnqueueKind.AlreadyRunning), scheduler.Enqueue("a", 9));
        Assert.Equal(EnqueueKind.AlreadyWaiting, scheduler.Enqueue("b", 0).Kind);
        Assert.Equal(5, scheduler.Waiting.Single().Priority);
        Assert.Equal(2, scheduler.Status("q").Enqueued);
    }

    [Fact]
    public void Leave_frees_a_slot_or_a_place_and_an_unknown_task_changes_nothing()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 1);
        scheduler.Enqueue("running", 5);
        scheduler.Enqueue("waiting", 5);
        scheduler.Enqueue("next", 5);
        scheduler.TakeStarts(Now);

        Assert.Equal(LeaveKind.Unknown, scheduler.Leave("nobody"));
        Assert.Equal(LeaveKind.Waiting, scheduler.Leave("waiting"));
        Assert.Empty(scheduler.TakeStarts(Now));
        Assert.Equal(LeaveKind.Dispatched, scheduler.Leave("running"));
        Assert.Equal(["next"], Ids(scheduler.TakeStarts(Now)));
        Assert.Equal(LeaveKind.Unknown, scheduler.Leave("running"));

        var status = scheduler.Status("q");
        Assert.Equal((3, 2, 1), (status.Enqueued, status.Started, status.Finished));
    }

    [Fact]
    public void Withdraw_undoes_an_enqueue_that_could_not_be_stored()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 1);
        scheduler.Enqueue("a", 5);
        scheduler.TakeStarts(Now);
        scheduler.Enqueue("b", 5);

        scheduler.Withdraw("a");
        scheduler.Withdraw("b");

        var status = scheduler.Status("q");
        Assert.Equal((0, 0, 0, 0L, 0L), (status.Pending, status.Running, status.Finished, status.Enqueued, status.Started));
        Assert.False(scheduler.HoldsWork);
    }

    [Fact]
    public void Restore_continues_the_sequence_after_the_highest_stored_entry()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 2);
        scheduler.Restore([new QueueEntry("x", 3, 41), new QueueEntry("y", 8, 7)], nextSequence: 20);

        Assert.Equal(42, scheduler.NextSequence);
        Assert.Equal(["y", "x"], Ids(scheduler.TakeStarts(Now)));
        Assert.Equal(42, scheduler.Enqueue("z", 5).Entry.Sequence);
    }

    [Fact]
    public void Priorities_out_of_range_are_clamped()
    {
        var scheduler = new QueueScheduler(defaultMaxConcurrency: 1);
        Assert.Equal(10, scheduler.Enqueue("a", 99).Entry.Priority);
        Assert.Equal(0, scheduler.Enqueue("b", -3).Entry.Priority);
        Assert.Equal(new Dictionary<int, int> { [10] = 1, [0] = 1 }, scheduler.Status("q").PendingByPriority);
    }
}
