using Oee.Grains.Contracts;
using Oee.Grains.Storage.Memory;
using Oee.Grains.Storage;

namespace Oee.Grains.Tests.Catalog;

public sealed class TaskIndexShardTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TaskRecord NewTask(int i, OeeTaskStatus status = OeeTaskStatus.Queued, string queue = "q", long version = 1, params string[] tags) => new()
    {
        Id = $"t{i:D4}",
        Name = $"name{i % 3}",
        Handler = "echo",
        Queue = queue,
        Status = status,
        Input = $"{{\"n\":{i}}}",
        CreatedAt = T0.AddSeconds(i),
        CompletedAt = status.IsFinal() ? T0.AddSeconds(1000 + i) : null,
        Tags = tags,
        Version = version,
    };

    /// <summary>Stores a first version (none held before).</summary>
    private static void Add(TaskIndexShard shard, TaskRecord record) => Assert.True(shard.Store(record, expectedVersion: 0));

    [Fact]
    public void Keeps_the_whole_record_and_answers_it_by_id()
    {
        var shard = new TaskIndexShard();
        Add(shard, NewTask(7, tags: "x"));

        var held = shard.Get("t0007");
        Assert.NotNull(held);
        Assert.Equal("{\"n\":7}", held.Input);
        Assert.Equal(["x"], held.Tags);
        Assert.Null(shard.Get("t0008"));
    }

    [Fact]
    public void Stores_only_over_the_version_the_writer_read()
    {
        var shard = new TaskIndexShard();
        Add(shard, NewTask(1, OeeTaskStatus.Queued, version: 1));

        // A second first write (another activation that read nothing) is refused.
        Assert.False(shard.Store(NewTask(1, OeeTaskStatus.Queued, version: 1), expectedVersion: 0));

        Assert.True(shard.Store(NewTask(1, OeeTaskStatus.Running, version: 2), expectedVersion: 1));

        // A stale activation that read version 1 cannot overwrite version 2.
        Assert.False(shard.Store(NewTask(1, OeeTaskStatus.Done, version: 2), expectedVersion: 1));
        Assert.Equal(OeeTaskStatus.Running, shard.Get("t0001")!.Status);

        // Nor can a write that expects a version never stored create the task.
        Assert.False(shard.Store(NewTask(2, version: 5), expectedVersion: 4));
        Assert.Null(shard.Get("t0002"));
        Assert.Equal(1, shard.CountByStatus()[OeeTaskStatus.Running]);
        Assert.Equal(0, shard.CountByStatus()[OeeTaskStatus.Queued]);
    }

    [Fact]
    public void Removes_only_the_version_the_remover_read()
    {
        var shard = new TaskIndexShard();
        Add(shard, NewTask(1, OeeTaskStatus.Done, version: 1));

        Assert.False(shard.Remove("t0001", expectedVersion: 3));
        Assert.NotNull(shard.Get("t0001"));

        Assert.True(shard.Remove("t0001", expectedVersion: 1));
        Assert.Null(shard.Get("t0001"));
        Assert.Empty(shard.Query(new TaskQuery(), null, 10));

        // Removing what is not held leaves nothing held: done.
        Assert.True(shard.Remove("t0001", expectedVersion: 1));

        // Gone means a later submit with the same id starts afresh.
        Add(shard, NewTask(1, OeeTaskStatus.Queued, version: 1));
    }

    [Fact]
    public void Pages_newest_first_without_gaps_or_repeats()
    {
        var shard = new TaskIndexShard();
        for (var i = 0; i < 25; i++)
        {
            Add(shard, NewTask(i));
        }

        var seen = new List<string>();
        TaskCursor? cursor = null;
        while (true)
        {
            var page = shard.Query(new TaskQuery { Limit = 7 }, cursor, 7);
            seen.AddRange(page.Select(p => p.Id));
            if (page.Count < 7)
            {
                break;
            }

            cursor = new TaskCursor(page[^1].CreatedAt, page[^1].Id);
        }

        Assert.Equal(Enumerable.Range(0, 25).Reverse().Select(i => $"t{i:D4}"), seen);
    }

    [Fact]
    public void Filters_by_status_queue_name_and_tag()
    {
        var shard = new TaskIndexShard();
        Add(shard, NewTask(1, OeeTaskStatus.Done, "a", 1, "x"));
        Add(shard, NewTask(2, OeeTaskStatus.Queued, "a", 1, "y"));
        Add(shard, NewTask(3, OeeTaskStatus.Done, "b", 1, "x", "y"));
        Add(shard, NewTask(4, OeeTaskStatus.Done, "a"));

        Assert.Equal(["t0004", "t0003", "t0001"], shard.Query(new TaskQuery { Status = OeeTaskStatus.Done }, null, 10).Select(s => s.Id));
        Assert.Equal(["t0004", "t0002", "t0001"], shard.Query(new TaskQuery { Queue = "a" }, null, 10).Select(s => s.Id));
        Assert.Equal(["t0004", "t0001"], shard.Query(new TaskQuery { Name = "name1" }, null, 10).Select(s => s.Id));
        Assert.Equal(["t0003", "t0002"], shard.Query(new TaskQuery { Tag = "y" }, null, 10).Select(s => s.Id));
        Assert.Equal(["t0001"], shard.Query(new TaskQuery { Status = OeeTaskStatus.Done, Queue = "a", Tag = "x" }, null, 10).Select(s => s.Id));
    }

    [Fact]
    public void A_status_change_moves_the_task_between_status_lists_and_counts()
    {
        var shard = new TaskIndexShard();
        Add(shard, NewTask(1, OeeTaskStatus.Queued, version: 1));
        Assert.True(shard.Store(NewTask(1, OeeTaskStatus.Running, version: 2), expectedVersion: 1));

        Assert.Empty(shard.Query(new TaskQuery { Status = OeeTaskStatus.Queued }, null, 10));
        Assert.Equal(2, Assert.Single(shard.Query(new TaskQuery { Status = OeeTaskStatus.Running }, null, 10)).Version);
        Assert.Equal(1, shard.CountByStatus()[OeeTaskStatus.Running]);
        Assert.Equal(0, shard.CountByStatus()[OeeTaskStatus.Queued]);
    }

    [Fact]
    public void Finds_finished_tasks_before_a_cutoff_and_forgets_them()
    {
        var shard = new TaskIndexShard();
        Add(shard, NewTask(1, OeeTaskStatus.Done));
        Add(shard, NewTask(2, OeeTaskStatus.Error));
        Add(shard, NewTask(3, OeeTaskStatus.Cancelled));
        Add(shard, NewTask(4, OeeTaskStatus.Running));

        Assert.Equal(3, shard.FindFinished(null, null, 100).Count);
        Assert.Equal(["t0001", "t0002"], shard.FindFinished(null, T0.AddSeconds(1002), 100).Order());
        Assert.Single(shard.FindFinished(null, null, 1));
        Assert.Equal(["t0002"], shard.FindFinished(OeeTaskStatus.Error, null, 100));
        Assert.Empty(shard.FindFinished(OeeTaskStatus.Cancelled, T0.AddSeconds(1002), 100));

        Assert.True(shard.Forget("t0001"));
        Assert.False(shard.Forget("t0001"));
        Assert.Equal(3, shard.Count);
    }

    [Fact]
    public void A_cursor_past_the_end_gives_an_empty_page()
    {
        var shard = new TaskIndexShard();
        Add(shard, NewTask(5));
        Assert.Empty(shard.Query(new TaskQuery(), new TaskCursor(T0, "a"), 10));
        Assert.Single(shard.Query(new TaskQuery(), new TaskCursor(T0.AddDays(1), "a"), 10));
    }

    [Fact]
    public void Finds_the_oldest_finished_tasks_first_and_stops_at_tasks_created_after_the_cutoff()
    {
        var shard = new TaskIndexShard();
        for (var i = 1; i <= 50; i++)
        {
            Add(shard, NewTask(i, OeeTaskStatus.Done));
        }

        // Completed at T0 + 1000 + i: a cutoff at T0 + 1010 takes t0001..t0010, the oldest first.
        Assert.Equal(["t0001", "t0002", "t0003"], shard.FindFinished(OeeTaskStatus.Done, T0.AddSeconds(1010), 3));
        Assert.Equal(10, shard.FindFinished(OeeTaskStatus.Done, T0.AddSeconds(1010), 100).Count);

        // A long-running task created early but finished after the cutoff is passed over, not a stop.
        Add(shard, NewTask(0, OeeTaskStatus.Done) with { CompletedAt = T0.AddSeconds(5000) });
        Assert.Equal(10, shard.FindFinished(OeeTaskStatus.Done, T0.AddSeconds(1010), 100).Count);
    }

    [Fact]
    public void A_rewrite_keeps_the_tasks_place_and_shows_its_new_fields_in_every_list()
    {
        var shard = new TaskIndexShard();
        for (var i = 0; i < 5; i++)
        {
            Add(shard, NewTask(i, OeeTaskStatus.Queued, version: 1));
        }

        // Rewritten in place twice: with the same status (only its fields change), then with another.
        Assert.True(shard.Store(NewTask(2, OeeTaskStatus.Queued, version: 2) with { Name = "renamed" }, expectedVersion: 1));
        Assert.True(shard.Store(NewTask(2, OeeTaskStatus.Done, version: 3) with { Name = "renamed", Result = "7" }, expectedVersion: 2));

        Assert.Equal(["t0004", "t0003", "t0002", "t0001", "t0000"], shard.Query(new TaskQuery { Limit = 10 }, null, 10).Select(s => s.Id));
        var done = Assert.Single(shard.Query(new TaskQuery { Status = OeeTaskStatus.Done }, null, 10));
        Assert.Equal(("t0002", "renamed", 3L), (done.Id, done.Name, done.Version));
        Assert.Equal(["t0004", "t0003", "t0001", "t0000"], shard.Query(new TaskQuery { Status = OeeTaskStatus.Queued }, null, 10).Select(s => s.Id));
        Assert.Equal(["t0002"], shard.Query(new TaskQuery { Name = "renamed" }, null, 10).Select(s => s.Id));
        Assert.Equal("7", shard.Get("t0002")!.Result);
        Assert.Equal(4, shard.CountByStatus()[OeeTaskStatus.Queued]);
        Assert.Equal(1, shard.CountByStatus()[OeeTaskStatus.Done]);

        // The version check still holds for the record rewritten in place.
        Assert.False(shard.Store(NewTask(2, OeeTaskStatus.Error, version: 3), expectedVersion: 2));
        Assert.Equal(OeeTaskStatus.Done, shard.Get("t0002")!.Status);
    }

    [Fact]
    public void A_rewrite_that_moves_the_creation_time_or_the_parent_is_placed_anew()
    {
        var shard = new TaskIndexShard();
        for (var i = 0; i < 3; i++)
        {
            Add(shard, NewTask(i, version: 1));
        }

        // Created later than every other task now: first in the newest-first listing.
        Assert.True(shard.Store(NewTask(0, version: 2) with { CreatedAt = T0.AddSeconds(100) }, expectedVersion: 1));
        Assert.Equal(["t0000", "t0002", "t0001"], shard.Query(new TaskQuery { Limit = 10 }, null, 10).Select(s => s.Id));

        Assert.True(shard.Store(NewTask(1, version: 2) with { ParentId = "p" }, expectedVersion: 1));
        Assert.Equal(["t0001"], shard.Query(new TaskQuery { ParentId = "p" }, null, 10).Select(s => s.Id));
        Assert.True(shard.Store(NewTask(1, version: 3), expectedVersion: 2));
        Assert.Empty(shard.Query(new TaskQuery { ParentId = "p" }, null, 10));
        Assert.Equal(3, shard.CountByStatus()[OeeTaskStatus.Queued]);
    }
}
