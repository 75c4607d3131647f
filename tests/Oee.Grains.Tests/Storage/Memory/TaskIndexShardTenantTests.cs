using Oee.Grains.Contracts;
using Oee.Grains.Storage;
using Oee.Grains.Storage.Memory;

namespace Oee.Grains.Tests.Catalog;

public sealed class TaskIndexShardTenantTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static TaskRecord NewTask(int i, string? tenant, OeeTaskStatus status = OeeTaskStatus.Queued, long version = 1) => new()
    {
        Id = $"t{i:D4}",
        Name = "n",
        Handler = "echo",
        Queue = "q",
        Status = status,
        CreatedAt = T0.AddSeconds(i),
        Tenant = tenant,
        Version = version,
    };

    [Fact]
    public void A_tenant_query_pages_through_only_that_tenants_tasks_newest_first()
    {
        var shard = new TaskIndexShard();
        for (var i = 0; i < 30; i++)
        {
            Assert.True(shard.Store(NewTask(i, (i % 3) switch { 0 => "acme", 1 => "globex", _ => null }), 0));
        }

        var seen = new List<TaskSummary>();
        TaskCursor? cursor = null;
        while (true)
        {
            var page = shard.Query(new TaskQuery { Tenant = "acme", Limit = 4 }, cursor, 4);
            seen.AddRange(page);
            if (page.Count < 4)
            {
                break;
            }

            cursor = new TaskCursor(page[^1].CreatedAt, page[^1].Id);
        }

        Assert.Equal(Enumerable.Range(0, 30).Where(i => i % 3 == 0).Reverse().Select(i => $"t{i:D4}"), seen.Select(s => s.Id));
        Assert.All(seen, s => Assert.Equal("acme", s.Tenant));
        Assert.Empty(shard.Query(new TaskQuery { Tenant = "nobody" }, null, 10));
    }

    [Fact]
    public void A_tenant_query_combines_with_the_other_filters_and_follows_changes_and_removals()
    {
        var shard = new TaskIndexShard();
        Assert.True(shard.Store(NewTask(1, "acme"), 0));
        Assert.True(shard.Store(NewTask(2, "acme"), 0));
        Assert.True(shard.Store(NewTask(3, "globex"), 0));

        Assert.True(shard.Store(NewTask(1, "acme", OeeTaskStatus.Done, version: 2), 1));
        Assert.Equal(["t0001"], shard.Query(new TaskQuery { Tenant = "acme", Status = OeeTaskStatus.Done }, null, 10).Select(s => s.Id));
        Assert.Equal(["t0002"], shard.Query(new TaskQuery { Tenant = "acme", Status = OeeTaskStatus.Queued }, null, 10).Select(s => s.Id));

        Assert.True(shard.Forget("t0002"));
        Assert.Equal(["t0001"], shard.Query(new TaskQuery { Tenant = "acme" }, null, 10).Select(s => s.Id));
        Assert.True(shard.Forget("t0001"));
        Assert.Empty(shard.Query(new TaskQuery { Tenant = "acme" }, null, 10));
        Assert.Equal(["t0003"], shard.Query(new TaskQuery { Tenant = "globex" }, null, 10).Select(s => s.Id));
    }
}
