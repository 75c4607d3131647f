using Oee.Grains.Contracts;
using Oee.Grains.Queues;

namespace Oee.Grains.Tests.Queues;

/// <summary>The queue's quotas: maxPending, start rate, per-key limit, priority aging.</summary>
public sealed partial class QueueSchedulerTests
{
    private static QueueScheduler Scheduler(int maxConcurrency, QueueSettingsUpdate quotas)
    {
        var scheduler = new QueueScheduler(maxConcurrency);
        scheduler.Configure(quotas, Now);
        return scheduler;
    }

    [Fact]
    public void A_full_queue_refuses_a_new_task_and_changes_nothing()
    {
        var scheduler = Scheduler(1, new QueueSettingsUpdate { MaxPending = 2 });
        scheduler.Enqueue("running", 5, now: Now);
        scheduler.TakeStarts(Now);
        scheduler.Enqueue("w1", 5, now: Now);
        scheduler.Enqueue("w2", 5, now: Now);
        var reserved = scheduler.Reserve(1);
        var before = scheduler.Status("q");

        Assert.Equal(EnqueueKind.QueueFull, scheduler.Enqueue("refused", 9, now: Now).Kind);
        Assert.Equal(EnqueueKind.QueueFull, scheduler.Enqueue("refused-reserved", 9, reserved, now: Now).Kind);
        var after = scheduler.Status("q");
        Assert.Equal((before.Pending, before.Enqueued, before.NextSequence), (after.Pending, after.Enqueued, after.NextSequence));
        Assert.Equal(["w1", "w2"], Ids(scheduler.Waiting));

        // A task already held is answered as before, full or not.
        Assert.Equal(EnqueueKind.AlreadyWaiting, scheduler.Enqueue("w1", 5, now: Now).Kind);
        Assert.Equal(EnqueueKind.AlreadyRunning, scheduler.Enqueue("running", 5, now: Now).Kind);

        // A start frees a place.
        scheduler.Leave("running");
        Assert.Equal(["w1"], Ids(scheduler.TakeStarts(Now)));
        Assert.Equal(EnqueueKind.Added, scheduler.Enqueue("accepted", 5, now: Now).Kind);
        Assert.Equal(EnqueueKind.QueueFull, scheduler.Enqueue("refused-again", 5, now: Now).Kind);
    }

    [Fact]
    public void A_task_handed_back_is_never_refused_even_when_the_queue_is_full()
    {
        var scheduler = Scheduler(1, new QueueSettingsUpdate { MaxPending = 1 });
        scheduler.Enqueue("a", 5, now: Now);
        scheduler.TakeStarts(Now);
        scheduler.Enqueue("b", 5, now: Now);

        Assert.True(scheduler.Requeue("a"));
        Assert.Equal(2, scheduler.Status("q").Pending);
        Assert.Equal(["a", "b"], Ids(scheduler.Waiting));
    }

    [Fact]
    public void A_task_admitted_before_its_dependencies_finished_is_never_refused_when_it_becomes_ready()
    {
        var scheduler = Scheduler(1, new QueueSettingsUpdate { MaxPending = 1 });
        var reserved = scheduler.Reserve(1);
        scheduler.Enqueue("a", 5, now: Now);
        scheduler.TakeStarts(Now);
        scheduler.Enqueue("b", 5, now: Now);
        Assert.Equal(EnqueueKind.QueueFull, scheduler.Enqueue("new", 5, now: Now).Kind);

        Assert.Equal(EnqueueKind.Added, scheduler.Enqueue("ready dependent", 5, reserved, now: Now, admitted: true).Kind);
        Assert.Equal(["ready dependent", "b"], Ids(scheduler.Waiting));
    }

    [Fact]
    public void Max_pending_zero_means_no_limit_and_a_silo_default_applies_until_the_queue_sets_its_own()
    {
        var scheduler = new QueueScheduler(1, new QueueSettingsUpdate { MaxPending = 1 });
        scheduler.Enqueue("a", 5, now: Now);
        Assert.Equal(EnqueueKind.QueueFull, scheduler.Enqueue("b", 5, now: Now).Kind);

        scheduler.Configure(new QueueSettingsUpdate { MaxPending = 0 }, Now);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(EnqueueKind.Added, scheduler.Enqueue($"t{i}", 5, now: Now).Kind);
        }

        Assert.Equal(0, scheduler.Configured.MaxPending);
        Assert.Null(scheduler.Configured.MaxPerKey);
    }

    [Fact]
    public void Retry_after_is_one_second_without_a_start_rate_and_the_time_to_the_next_token_with_one()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), new QueueScheduler(1).RetryAfter(Now));

        var scheduler = Scheduler(5, new QueueSettingsUpdate { StartRate = 0.1, StartBurst = 1 });
        Assert.Equal(TimeSpan.FromSeconds(1), scheduler.RetryAfter(Now));
        scheduler.Enqueue("a", 5, now: Now);
        scheduler.Enqueue("b", 5, now: Now);
        Assert.Single(scheduler.TakeStarts(Now));
        Assert.Equal(TimeSpan.FromSeconds(10), scheduler.RetryAfter(Now));
        Assert.Equal(TimeSpan.FromSeconds(9), scheduler.RetryAfter(Now.AddSeconds(1.5)));
        Assert.Equal(TimeSpan.FromSeconds(8), scheduler.RetryAfter(Now.AddSeconds(2)));
    }

    [Fact]
    public void Bad_settings_are_refused_by_name_and_change_nothing()
    {
        var scheduler = new QueueScheduler(2);
        foreach (var (update, field) in new (QueueSettingsUpdate, string)[]
        {
            (new() { MaxPending = -1 }, "maxPending"),
            (new() { StartRate = -1 }, "startRate"),
            (new() { StartRate = double.NaN }, "startRate"),
            (new() { StartRate = 0.0001 }, "startRate"),
            (new() { StartBurst = -1 }, "startBurst"),
            (new() { MaxPerKey = -2 }, "maxPerKey"),
            (new() { AgingInterval = TimeSpan.FromMilliseconds(10) }, "agingInterval"),
            (new() { AgingInterval = TimeSpan.FromSeconds(-1) }, "agingInterval"),
            (new() { MaxConcurrency = 0 }, "maxConcurrency"),
        })
        {
            var error = Assert.Throws<ArgumentException>(() => scheduler.Configure(update with { MaxPerKey = update.MaxPerKey ?? 3 }, Now));
            Assert.StartsWith(field + ":", error.Message, StringComparison.Ordinal);
            Assert.Equal(0, scheduler.MaxPerKey);
        }
    }

    [Fact]
    public void The_start_rate_lets_the_burst_start_at_once_then_one_start_per_interval()
    {
        var scheduler = Scheduler(100, new QueueSettingsUpdate { StartRate = 2, StartBurst = 3 });
        for (var i = 0; i < 10; i++)
        {
            scheduler.Enqueue($"t{i}", 5, now: Now);
        }

        Assert.Equal(3, scheduler.TakeStarts(Now).Count);
        Assert.Equal(TimeSpan.FromMilliseconds(500), scheduler.NextStartDelay(Now));
        Assert.Empty(scheduler.TakeStarts(Now.AddMilliseconds(499)));
        Assert.Equal(TimeSpan.FromMilliseconds(1), scheduler.NextStartDelay(Now.AddMilliseconds(499)));
        Assert.Single(scheduler.TakeStarts(Now.AddMilliseconds(500)));
        Assert.Equal(2, scheduler.TakeStarts(Now.AddMilliseconds(1500)).Count);

        // Nothing waits for a token once nothing can start for another reason.
        scheduler.Configure(new QueueSettingsUpdate { Paused = true }, Now);
        Assert.Null(scheduler.NextStartDelay(Now.AddSeconds(1)));
        Assert.Equal((2.0, 3), (scheduler.Status("q").StartRate, scheduler.Status("q").StartBurst));
    }

    [Fact]
    public void The_default_burst_is_the_rate_rounded_up()
    {
        Assert.Equal(3, Scheduler(1, new QueueSettingsUpdate { StartRate = 2.5 }).StartBurst);
        Assert.Equal(1, Scheduler(1, new QueueSettingsUpdate { StartRate = 0.2 }).StartBurst);
        Assert.Equal(0, Scheduler(1, new QueueSettingsUpdate { StartRate = 0 }).StartBurst);
    }

    [Fact]
    public void A_key_at_its_limit_is_skipped_and_its_tasks_keep_their_places()
    {
        var scheduler = Scheduler(3, new QueueSettingsUpdate { MaxPerKey = 1 });
        scheduler.Enqueue("a1", 9, concurrencyKey: "a", now: Now);
        scheduler.Enqueue("a2", 9, concurrencyKey: "a", now: Now);
        scheduler.Enqueue("a3", 9, concurrencyKey: "a", now: Now);
        scheduler.Enqueue("b1", 5, concurrencyKey: "b", now: Now);
        scheduler.Enqueue("b2", 5, concurrencyKey: "b", now: Now);
        scheduler.Enqueue("free", 1, now: Now);
        scheduler.Enqueue("c1", 0, concurrencyKey: "c", now: Now);

        // One per key, then keyless, in priority order; c waits for the concurrency limit only.
        Assert.Equal(["a1", "b1", "free"], Ids(scheduler.TakeStarts(Now)));
        Assert.Equal(3, scheduler.Status("q").HeldByKeyLimit); // a2, a3, b2; c1 waits for a slot only

        // a's next task is still first among a's: it starts as soon as a1 leaves.
        scheduler.Leave("a1");
        Assert.Equal(["a2"], Ids(scheduler.TakeStarts(Now)));
        scheduler.Leave("free");
        Assert.Equal(["c1"], Ids(scheduler.TakeStarts(Now)));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1, ["c"] = 1 }, scheduler.Status("q").RunningByKey);

        // Raising the per-key limit lets the held tasks start, in order.
        scheduler.Configure(new QueueSettingsUpdate { MaxPerKey = 2, MaxConcurrency = 10 }, Now);
        Assert.Equal(["a3", "b2"], Ids(scheduler.TakeStarts(Now)));
        Assert.Equal(0, scheduler.Status("q").HeldByKeyLimit);
    }

    [Fact]
    public void A_huge_backlog_of_one_blocked_key_does_not_hold_back_the_others()
    {
        var scheduler = Scheduler(4, new QueueSettingsUpdate { MaxPerKey = 2 });
        for (var i = 0; i < 50_000; i++)
        {
            scheduler.Enqueue($"big-{i}", 10, concurrencyKey: "big", now: Now);
        }

        scheduler.Enqueue("small-1", 0, concurrencyKey: "small", now: Now);
        scheduler.Enqueue("small-2", 0, concurrencyKey: "small", now: Now);
        Assert.Equal(["big-0", "big-1", "small-1", "small-2"], Ids(scheduler.TakeStarts(Now)));

        // Every following start passes the 49,998 held tasks without looking at them.
        var runningSmall = new Queue<string>(["small-1", "small-2"]);
        for (var i = 0; i < 1000; i++)
        {
            scheduler.Leave(runningSmall.Dequeue());
            scheduler.Enqueue($"small-x{i}", 0, concurrencyKey: "small", now: Now);
            var started = Assert.Single(scheduler.TakeStarts(Now));
            Assert.Equal($"small-x{i}", started.TaskId);
            runningSmall.Enqueue(started.TaskId);
        }

        Assert.Equal(49_998, scheduler.Status("q").HeldByKeyLimit);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(60)]
    public void Under_random_steps_no_key_exceeds_its_limit_and_every_start_is_the_best_allowed_task(int agingSeconds)
    {
        var random = new Random(20261128 + agingSeconds);
        var aging = TimeSpan.FromSeconds(agingSeconds);
        var scheduler = Scheduler(4, new QueueSettingsUpdate { MaxPerKey = 2, AgingInterval = aging });
        string?[] keys = ["t1", "t2", "t3", "t4", "t5", null];
        var next = 0;
        var now = Now;
        for (var step = 0; step < 10_000; step++)
        {
            now = now.AddSeconds(random.Next(0, 5));
            switch (random.Next(8))
            {
                case 0 or 1 or 2:
                    scheduler.Enqueue($"t{next++}", random.Next(0, 11), concurrencyKey: keys[random.Next(keys.Length)], now: now);
                    break;
                case 3 when scheduler.Running.Count > 0:
                    scheduler.Leave(scheduler.Running.ElementAt(random.Next(scheduler.Running.Count)).TaskId);
                    break;
                case 4 when scheduler.Running.Count > 0:
                    scheduler.Requeue(scheduler.Running.ElementAt(random.Next(scheduler.Running.Count)).TaskId);
                    break;
                case 5 when random.Next(20) == 0:
                    scheduler.Configure(new QueueSettingsUpdate { MaxPerKey = random.Next(0, 4), MaxConcurrency = random.Next(1, 8) }, now);
                    break;
                case 6 when scheduler.Pending > 0:
                    scheduler.Leave(scheduler.Waiting.ElementAt(random.Next(scheduler.Pending)).TaskId);
                    break;
                default:
                    CheckTakeStarts(scheduler, now, aging, step);
                    break;
            }
        }
    }

    /// <summary>The starts must be exactly what a scan of the whole backlog, ranked by the aging rule at <paramref name="now"/>, would pick.</summary>
    private static void CheckTakeStarts(QueueScheduler scheduler, DateTimeOffset now, TimeSpan aging, int step)
    {
        var runningByKey = new Dictionary<string, int>(scheduler.RunningByKey);
        var room = scheduler.MaxConcurrency - scheduler.Running.Count;
        var expected = new List<string>();
        var ranked = scheduler.Waiting
            .OrderByDescending(e => QueueBacklog.LevelAt(e, aging, now))
            .ThenBy(e => e.Sequence)
            .ThenBy(e => e.TaskId, StringComparer.Ordinal);
        foreach (var entry in ranked)
        {
            if (expected.Count >= room)
            {
                break;
            }

            if (entry.ConcurrencyKey is { } key)
            {
                var count = runningByKey.GetValueOrDefault(key);
                if (scheduler.MaxPerKey > 0 && count >= scheduler.MaxPerKey)
                {
                    continue;
                }

                runningByKey[key] = count + 1;
            }

            expected.Add(entry.TaskId);
        }

        var before = new Dictionary<string, int>(scheduler.RunningByKey);
        var starts = scheduler.TakeStarts(now);
        Assert.Equal(expected, Ids(starts));
        foreach (var group in starts.Where(s => s.ConcurrencyKey is not null).GroupBy(s => s.ConcurrencyKey!))
        {
            // Lowering the limit never stops what runs; a key over it only starts nothing more.
            var after = before.GetValueOrDefault(group.Key) + group.Count();
            Assert.True(after <= scheduler.MaxPerKey || scheduler.MaxPerKey == 0, $"step {step}: key {group.Key} runs {after} > {scheduler.MaxPerKey}");
        }

        Assert.Equal(scheduler.Running.Where(r => r.ConcurrencyKey is not null).GroupBy(r => r.ConcurrencyKey!).ToDictionary(g => g.Key, g => g.Count()), scheduler.RunningByKey);
    }

    [Fact]
    public void Without_aging_the_order_stays_strict_however_long_tasks_wait()
    {
        var scheduler = new QueueScheduler(1);
        scheduler.Enqueue("old-low", 1, now: Now);
        scheduler.Enqueue("new-high", 2, now: Now.AddDays(30));
        Assert.Equal(["new-high"], Ids(scheduler.TakeStarts(Now.AddDays(365))));
    }

    [Theory]
    [InlineData(179, "new")] // old has waited 2 full minutes: level 2 + 2 = 4 < 5
    [InlineData(180, "old")] // 3 full minutes: level 5, ties with new's 5, and its sequence is older
    public void Aging_raises_a_waiting_task_one_level_per_full_interval(int seconds, string first)
    {
        var scheduler = Scheduler(1, new QueueSettingsUpdate { AgingInterval = TimeSpan.FromMinutes(1) });
        scheduler.Enqueue("old", 2, now: Now);
        scheduler.Enqueue("new", 5, now: Now.AddSeconds(seconds));
        Assert.Equal([first], Ids(scheduler.TakeStarts(Now.AddSeconds(seconds))));
    }

    [Fact]
    public void Aging_stops_at_ten_and_then_the_sequence_decides()
    {
        var scheduler = Scheduler(1, new QueueSettingsUpdate { AgingInterval = TimeSpan.FromMinutes(1) });
        scheduler.Enqueue("ten", 10, now: Now.AddHours(1));
        scheduler.Enqueue("aged", 9, now: Now);
        var later = Now.AddHours(2);

        // "aged" would be 9 + 120 but stops at 10; "ten" has the older sequence.
        Assert.Equal(10, QueueBacklog.LevelAt(scheduler.Waiting.Single(e => e.TaskId == "aged"), TimeSpan.FromMinutes(1), later));
        Assert.Equal(["ten"], Ids(scheduler.TakeStarts(later)));
    }

    [Fact]
    public void A_dispatched_task_keeps_the_level_aging_raised_it_to_until_it_leaves_or_comes_back()
    {
        // What its lease checks send it (QueueGrain.CheckLease): the level it was dispatched at, not its priority.
        var scheduler = Scheduler(2, new QueueSettingsUpdate { AgingInterval = TimeSpan.FromMinutes(1) });
        scheduler.Enqueue("aged", 2, now: Now);
        scheduler.Enqueue("fresh", 4, now: Now.AddMinutes(5));
        var starts = scheduler.TakeStarts(Now.AddMinutes(5));
        Assert.Equal(["aged", "fresh"], Ids(starts));
        Assert.Equal((7, 4), (scheduler.DispatchLevel(starts[0]), scheduler.DispatchLevel(starts[1])));

        // Later it still is at 7 (the level it was dispatched at); handed back, it waits at its priority and ages anew.
        Assert.Equal(7, scheduler.DispatchLevel(scheduler.Running.Single(e => e.TaskId == "aged")));
        Assert.True(scheduler.Requeue("aged"));
        Assert.Equal(2, scheduler.DispatchLevel(scheduler.Waiting.Single(e => e.TaskId == "aged")));
        scheduler.Leave("fresh");
        var again = Assert.Single(scheduler.TakeStarts(Now.AddMinutes(20)));
        Assert.Equal(("aged", 10), (again.TaskId, scheduler.DispatchLevel(again)));
    }

    [Fact]
    public void With_aging_the_starts_follow_level_then_sequence_at_the_time_passed_in()
    {
        var random = new Random(11);
        var interval = TimeSpan.FromMinutes(1);
        for (var round = 0; round < 50; round++)
        {
            var scheduler = Scheduler(1000, new QueueSettingsUpdate { AgingInterval = interval });
            scheduler.Configure(new QueueSettingsUpdate { Paused = true }, Now);
            var entries = new List<QueueEntry>();
            for (var i = 0; i < 200; i++)
            {
                var since = Now.AddSeconds(random.Next(0, 3600));
                entries.Add(scheduler.Enqueue($"t{i}", random.Next(0, 11), concurrencyKey: random.Next(3) == 0 ? "k" : null, now: since).Entry);
            }

            // Time moves on in steps (level-ups happen in between), then everything starts at once.
            var at = Now.AddSeconds(3600);
            for (var k = 0; k < 5; k++)
            {
                at = at.AddSeconds(random.Next(0, 900));
                scheduler.TakeStarts(at);
            }

            scheduler.Configure(new QueueSettingsUpdate { Paused = false }, at);
            var expected = entries
                .OrderByDescending(e => Math.Min(10, e.Priority + (long)((at - e.WaitingSince) / interval)))
                .ThenBy(e => e.Sequence)
                .Select(e => e.TaskId);
            Assert.Equal(expected, Ids(scheduler.TakeStarts(at)));
        }
    }

    [Fact]
    public void A_new_aging_interval_re_ranks_the_waiting_tasks_at_once()
    {
        var scheduler = new QueueScheduler(1);
        scheduler.Enqueue("old-low", 0, now: Now);
        scheduler.Enqueue("new-high", 6, now: Now.AddMinutes(59));
        var at = Now.AddMinutes(60);
        scheduler.Configure(new QueueSettingsUpdate { AgingInterval = TimeSpan.FromMinutes(10), Paused = true }, at);

        Assert.Equal(["old-low", "new-high"], Ids(scheduler.Waiting));
        scheduler.Configure(new QueueSettingsUpdate { AgingInterval = TimeSpan.Zero }, at);
        Assert.Equal(["new-high", "old-low"], Ids(scheduler.Waiting));
    }
}
