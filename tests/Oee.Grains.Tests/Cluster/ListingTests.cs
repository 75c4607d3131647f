using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>Runs on both storages: see <see cref="ListingTestsOnMemory"/> and <see cref="ListingTestsOnPostgres"/>.</summary>
public abstract class ListingTests(ClusterFixture fixture)
{
    private IOrchestrator Orchestrator => fixture.Orchestrator;

    [Fact]
    public async Task Pages_through_a_queue_newest_first_and_filters_by_status_name_and_tag()
    {
        var queue = Waiting.Unique("list");
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var request = new SubmitTaskRequest
            {
                Name = i % 2 == 0 ? "even" : "odd",
                Handler = i == 11 ? "fail" : "echo",
                Queue = queue,
                Tags = i % 3 == 0 ? ["third"] : [],
                Input = i == 11 ? "{\"message\":\"no\"}" : null,
            };
            ids.Add((await Orchestrator.SubmitAsync(request)).Task.Id);
        }

        await Orchestrator.ForAllFinished(ids);

        var seen = new List<TaskSummary>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Orchestrator.ListAsync(new TaskQuery { Queue = queue, Limit = 5, Cursor = cursor });
            Assert.True(page.Items.Length <= 5);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(ids), seen.Select(s => s.Id));

        var even = await Orchestrator.ListAsync(new TaskQuery { Queue = queue, Name = "even" });
        Assert.Equal(6, even.Items.Length);
        Assert.All(even.Items, s => Assert.Equal("even", s.Name));

        var third = await Orchestrator.ListAsync(new TaskQuery { Queue = queue, Tag = "third" });
        Assert.Equal([ids[9], ids[6], ids[3], ids[0]], third.Items.Select(s => s.Id));

        var failed = await Orchestrator.ListAsync(new TaskQuery { Queue = queue, Status = OeeTaskStatus.Error });
        Assert.Equal(ids[11], Assert.Single(failed.Items).Id);
        Assert.Empty((await Orchestrator.ListAsync(new TaskQuery { Queue = queue, Status = OeeTaskStatus.Queued })).Items);
        Assert.Equal(11, (await Orchestrator.ListAsync(new TaskQuery { Queue = queue, Status = OeeTaskStatus.Done })).Items.Length);
    }

    [Fact]
    public async Task A_bad_limit_or_cursor_names_its_field()
    {
        var limit = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.ListAsync(new TaskQuery { Limit = 501 }));
        Assert.Equal("limit", Assert.Single(limit.Errors).Field);
        var cursor = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.ListAsync(new TaskQuery { Cursor = "garbage!" }));
        Assert.Equal("cursor", Assert.Single(cursor.Errors).Field);
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class ListingTestsOnMemory(MemoryClusterFixture fixture) : ListingTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class ListingTestsOnPostgres(PostgresClusterFixture fixture) : ListingTests(fixture);
