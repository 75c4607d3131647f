using Oee.Grains.Catalog;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Catalog;

public sealed class TaskIndexShardTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TaskSummary Summary(int i, OeeTaskStatus status = OeeTaskStatus.Queued, string queue = "q", long version = 1, params string[] tags) => new()
    {
        Id = $"t{i:D4}",
        Name = $"name{i % 3}",
        Handler = "echo",
        Queue = queue,
        Status = status,
        CreatedAt = T0.AddSeconds(i),
        CompletedAt = status.IsFinal() ? T0.AddSeconds(1000 + i) : null,
        Tags = tags,
        Version = version,
    };

    [Fact]
    public void Pages_newest_first_without_gaps_or_repeats()
    {
        var shard = new TaskIndexShard();
        for (var i = 0; i < 25; i++)
        {
            shard.Record(Summary(i));
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
        shard.Record(Summary(1, OeeTaskStatus.Done, "a", 1, "x"));
        shard.Record(Summary(2, OeeTaskStatus.Queued, "a", 1, "y"));
        shard.Record(Summary(3, OeeTaskStatus.Done, "b", 1, "x", "y"));
        shard.Record(Summary(4, OeeTaskStatus.Done, "a"));

        Assert.Equal(["t0004", "t0003", "t0001"], shard.Query(new TaskQuery { Status = OeeTaskStatus.Done }, null, 10).Select(s => s.Id));
        Assert.Equal(["t0004", "t0002", "t0001"], shard.Query(new TaskQuery { Queue = "a" }, null, 10).Select(s => s.Id));
        Assert.Equal(["t0004", "t0001"], shard.Query(new TaskQuery { Name = "name1" }, null, 10).Select(s => s.Id));
        Assert.Equal(["t0003", "t0002"], shard.Query(new TaskQuery { Tag = "y" }, null, 10).Select(s => s.Id));
        Assert.Equal(["t0001"], shard.Query(new TaskQuery { Status = OeeTaskStatus.Done, Queue = "a", Tag = "x" }, null, 10).Select(s => s.Id));
    }

    [Fact]
    public void An_older_version_never_replaces_a_newer_one()
    {
        var shard = new TaskIndexShard();
        Assert.True(shard.Record(Summary(1, OeeTaskStatus.Done, version: 3)));
        Assert.False(shard.Record(Summary(1, OeeTaskStatus.Running, version: 2)));

        Assert.Equal(OeeTaskStatus.Done, Assert.Single(shard.Query(new TaskQuery(), null, 10)).Status);
        Assert.Equal(1, shard.CountByStatus()[OeeTaskStatus.Done]);
        Assert.Equal(0, shard.CountByStatus()[OeeTaskStatus.Running]);
    }

    [Fact]
    public void A_status_change_moves_the_task_between_status_lists_and_counts()
    {
        var shard = new TaskIndexShard();
        shard.Record(Summary(1, OeeTaskStatus.Queued, version: 1));
        shard.Record(Summary(1, OeeTaskStatus.Running, version: 2));

        Assert.Empty(shard.Query(new TaskQuery { Status = OeeTaskStatus.Queued }, null, 10));
        Assert.Single(shard.Query(new TaskQuery { Status = OeeTaskStatus.Running }, null, 10));
        Assert.Equal(1, shard.CountByStatus()[OeeTaskStatus.Running]);
        Assert.Equal(0, shard.CountByStatus()[OeeTaskStatus.Queued]);
    }

    [Fact]
    public void Finds_finished_tasks_before_a_cutoff_and_forgets_them()
    {
        var shard = new TaskIndexShard();
        shard.Record(Summary(1, OeeTaskStatus.Done));
        shard.Record(Summary(2, OeeTaskStatus.Error));
        shard.Record(Summary(3, OeeTaskStatus.Cancelled));
        shard.Record(Summary(4, OeeTaskStatus.Running));

        Assert.Equal(3, shard.FindFinished(null, 100).Count);
        Assert.Equal(["t0001", "t0002"], shard.FindFinished(T0.AddSeconds(1002), 100).Order());
        Assert.Single(shard.FindFinished(null, 1));

        Assert.True(shard.Forget("t0001"));
        Assert.False(shard.Forget("t0001"));
        Assert.Equal(3, shard.Count);
    }

    [Fact]
    public void A_cursor_past_the_end_gives_an_empty_page()
    {
        var shard = new TaskIndexShard();
        shard.Record(Summary(5));
        Assert.Empty(shard.Query(new TaskQuery(), new TaskCursor(T0, "a"), 10));
        Assert.Single(shard.Query(new TaskQuery(), new TaskCursor(T0.AddDays(1), "a"), 10));
    }
}
