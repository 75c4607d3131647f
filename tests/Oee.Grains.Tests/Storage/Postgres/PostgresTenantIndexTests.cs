using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Oee.Grains.Contracts;
using Oee.Grains.Storage;
using Oee.Grains.Storage.Postgres;
using Oee.Tests.Shared;

namespace Oee.Grains.Tests.Storage.Postgres;

/// <summary>
/// The task index table's tenant (migration 0012) on a fresh database: stored and read back, filtered with
/// keyset paging, and a tenant's listing served by its index in listing order (no sort, no other tenant's rows).
/// </summary>
public sealed class PostgresTenantIndexTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TestDatabase database = new();
    private NpgsqlDataSource dataSource = null!;
    private PostgresTaskIndex index = null!;

    public async Task InitializeAsync()
    {
        await database.CreateAsync();
        await PostgresMigrator.MigrateAsync(database.ConnectionString, NullLogger.Instance);
        dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        index = new PostgresTaskIndex(new PostgresDatabase(dataSource, Options.Create(new Orleans.Configuration.ClusterOptions { ServiceId = "tenant-index" }), NullLogger<PostgresDatabase>.Instance));
    }

    public async Task DisposeAsync()
    {
        await index.DisposeAsync();
        await dataSource.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task A_tenant_listing_pages_through_its_rows_and_uses_the_tenant_index()
    {
        var writes = new List<Task>();
        for (var i = 0; i < 60; i++)
        {
            writes.Add(index.Record(new TaskSummary
            {
                Id = $"t{i:D3}",
                Name = "n",
                Handler = "echo",
                Queue = "q",
                Status = i % 2 == 0 ? OeeTaskStatus.Done : OeeTaskStatus.Queued,
                CreatedAt = T0.AddSeconds(i),
                Tenant = (i % 3) switch { 0 => "acme", 1 => "globex", _ => null },
                Version = 1,
            }));
        }

        await Task.WhenAll(writes);

        var seen = new List<TaskSummary>();
        string? cursor = null;
        do
        {
            var page = await index.Query(new TaskQuery { Tenant = "acme", Limit = 7, Cursor = cursor });
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(0, 60).Where(i => i % 3 == 0).Reverse().Select(i => $"t{i:D3}"), seen.Select(s => s.Id));
        Assert.All(seen, s => Assert.Equal("acme", s.Tenant));
        Assert.Equal(10, (await index.Query(new TaskQuery { Tenant = "acme", Status = OeeTaskStatus.Done, Limit = 500 })).Items.Length);
        Assert.Empty((await index.Query(new TaskQuery { Tenant = "' OR ''='" })).Items);
        Assert.Null((await index.Query(new TaskQuery { Limit = 500 })).Items.Single(s => s.Id == "t002").Tenant);

        // With sequential scans off, the plan shows which index a tenant's newest-first page would use.
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand(
            "EXPLAIN SELECT id FROM oee_task WHERE service_id = $1 AND tenant = $2 ORDER BY created_at DESC, id DESC LIMIT 51", connection);
        explain.Parameters.Add(new NpgsqlParameter { Value = "tenant-index" });
        explain.Parameters.Add(new NpgsqlParameter { Value = "acme" });
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join('\n', plan);
        Assert.Contains("ix_oee_task_tenant", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort", text, StringComparison.Ordinal);
    }
}
