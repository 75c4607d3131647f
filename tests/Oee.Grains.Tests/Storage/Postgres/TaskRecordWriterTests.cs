using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Oee.Grains.Contracts;
using Oee.Grains.Errors;
using Oee.Grains.Storage.Postgres;
using Oee.Tests.Shared;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace Oee.Grains.Tests.Storage.Postgres;

/// <summary>
/// The group commit of task records (<see cref="TaskRecordWriter"/>, through <see cref="PostgresTaskStore"/>)
/// and its grouped reads (<see cref="TaskRecordReader"/>) on a fresh database of the real PostgreSQL:
/// concurrent writes all land, several in one transaction, and read back; a
/// stale version fails only its own write; a database that goes away fails the waiting writes as storage
/// unavailable and the writer carries on once it is back; records written by earlier versions through
/// Orleans' grain storage are moved by migration 0013 with their ETags.
/// </summary>
public sealed class TaskRecordWriterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Outage = ["x1", "x2", "x3"];
    private readonly TestDatabase database = new();
    private NpgsqlDataSource dataSource = null!;
    private PostgresDatabase postgres = null!;
    private PostgresTaskIndex index = null!;
    private TaskRecordReader reader = null!;
    private TaskRecordWriter writer = null!;
    private PostgresTaskStore store = null!;

    public async Task InitializeAsync()
    {
        await database.CreateAsync();
        await PostgresMigrator.MigrateAsync(database.ConnectionString, NullLogger.Instance);
        dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        postgres = new PostgresDatabase(dataSource, Options.Create(new Orleans.Configuration.ClusterOptions { ServiceId = "records" }), NullLogger<PostgresDatabase>.Instance);
        index = new PostgresTaskIndex(postgres);
        reader = new TaskRecordReader(postgres);
        writer = new TaskRecordWriter(postgres);
        store = new PostgresTaskStore(postgres, reader, writer, index, Serializer());
    }

    public async Task DisposeAsync()
    {
        await writer.DisposeAsync();
        await reader.DisposeAsync();
        await index.DisposeAsync();
        await dataSource.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Many_concurrent_writes_all_land_with_their_summaries_and_share_transactions()
    {
        const int tasks = 300;
        var ids = Enumerable.Range(0, tasks).Select(i => $"t{i:D4}").ToArray();

        // Hold the table while the writes gather: the first batch waits, all the others join the next one.
        var firsts = await WhileLocked(() => ids.Select(id => store.Write(Grain(id), Record(id, version: 1), etag: null)).ToArray());
        var etags = await Task.WhenAll(firsts);
        Assert.All(etags, etag => Assert.Equal("1", etag));
        Assert.InRange(writer.Batches, 1, 3);

        var seconds = await Task.WhenAll(ids.Select((id, i) => store.Write(Grain(id), Record(id, version: 2, OeeTaskStatus.Running), etags[i])));
        Assert.All(seconds, etag => Assert.Equal("2", etag));

        // Read back all at once (grouped reads), with ids that have no record among them.
        var reads = await Task.WhenAll(ids.Append("none-1").Append(ids[0]).Append("none-2").Select(id => store.Read(Grain(id))));
        for (var i = 0; i < tasks; i++)
        {
            Assert.Equal(("2", OeeTaskStatus.Running, ids[i]), (reads[i].ETag, reads[i].Record!.Status, reads[i].Record!.Id));
        }

        Assert.Equal(new StoredTaskShape(null, null), Shape(reads[tasks]));
        Assert.Equal(ids[0], reads[tasks + 1].Record!.Id);
        Assert.Equal(new StoredTaskShape(null, null), Shape(reads[tasks + 2]));

        Assert.Equal(tasks, await Scalar("SELECT count(*) FROM oee_task_record WHERE service_id = 'records' AND version = 2"));
        Assert.Equal(tasks, await Scalar("SELECT count(*) FROM oee_task WHERE service_id = 'records' AND status = 2 AND version = 2"));
    }

    [Fact]
    public async Task A_stale_version_fails_only_its_own_write_in_a_shared_batch()
    {
        foreach (var id in new[] { "a", "b", "c" })
        {
            Assert.Equal("1", await store.Write(Grain(id), Record(id, version: 1), etag: null));
        }

        // One batch: a good update, a stale one, a first write of a task that exists, a new task, and a
        // second write of "a" (which waits for the next batch and then finds "a" moved on).
        var writes = await WhileLocked(() => new[]
        {
            store.Write(Grain("a"), Record("a", version: 2, OeeTaskStatus.Running), "1"),
            store.Write(Grain("b"), Record("b", version: 2, OeeTaskStatus.Running), "7"),
            store.Write(Grain("c"), Record("c", version: 2, OeeTaskStatus.Running), etag: null),
            store.Write(Grain("d"), Record("d", version: 1), etag: null),
            store.Write(Grain("a"), Record("a", version: 2, OeeTaskStatus.Cancelled), "1"),
        });

        Assert.Equal("2", await writes[0]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[1]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[2]);
        Assert.Equal("1", await writes[3]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[4]);

        var a = await store.Read(Grain("a"));
        Assert.Equal(("2", OeeTaskStatus.Running), (a.ETag, a.Record!.Status));
        var b = await store.Read(Grain("b"));
        Assert.Equal(("1", OeeTaskStatus.Queued), (b.ETag, b.Record!.Status));
        var c = await store.Read(Grain("c"));
        Assert.Equal(("1", OeeTaskStatus.Queued), (c.ETag, c.Record!.Status));

        // A summary lands only with its record: the failed writes' summaries did not.
        Assert.Equal(2, await Scalar("SELECT count(*) FROM oee_task WHERE service_id = 'records' AND id IN ('b', 'c') AND status = 1 AND version = 1"));
        Assert.Equal(1, await Scalar("SELECT count(*) FROM oee_task WHERE service_id = 'records' AND id = 'a' AND status = 2 AND version = 2"));

        // A purge checks the ETag too, and a purged task can be written afresh.
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.Delete(Grain("a"), "1"));
        Assert.Null(await store.Delete(Grain("a"), "2"));
        Assert.Equal(new StoredTaskShape(null, null), Shape(await store.Read(Grain("a"))));
        Assert.Equal(0, await Scalar("SELECT count(*) FROM oee_task WHERE service_id = 'records' AND id = 'a'"));
        Assert.Equal("1", await store.Write(Grain("a"), Record("a", version: 1), etag: null));
    }

    [Fact]
    public async Task When_the_database_goes_away_waiting_writes_fail_as_storage_unavailable_and_later_writes_succeed()
    {
        Assert.Equal("1", await store.Write(Grain("before"), Record("before", version: 1), etag: null));

        Task<string>[] during;
        await SetConnections(allowed: false);
        try
        {
            during = Outage.Select(id => store.Write(Grain(id), Record(id, version: 1), etag: null)).ToArray();
            foreach (var write in during)
            {
                var failure = await Assert.ThrowsAnyAsync<Exception>(() => write);
                Assert.IsType<OeeStorageUnavailableException>(FaultTranslation.Replacement(failure));
            }
        }
        finally
        {
            await SetConnections(allowed: true);
        }

        // The writer's loop survived: the same writes succeed now (retried by their callers), and the failed ones left nothing.
        Assert.Equal(0, await Scalar("SELECT count(*) FROM oee_task_record WHERE service_id = 'records' AND id LIKE 'x%'"));
        var after = await Task.WhenAll(Outage.Select(id => RetryWhileUnavailable(() => store.Write(Grain(id), Record(id, version: 1), etag: null))));
        Assert.All(after, etag => Assert.Equal("1", etag));
        Assert.Equal("2", await store.Write(Grain("before"), Record("before", version: 2, OeeTaskStatus.Done), "1"));
    }

    [Fact]
    public async Task A_new_tasks_queue_entry_is_written_with_its_record_or_not_at_all()
    {
        Assert.Equal("1", await store.Write(Grain("old"), Record("old", version: 1), etag: null));

        // One batch: two new tasks with their entries, a plain write, and a "new" task whose record exists.
        var writes = await WhileLocked(() => new[]
        {
            store.WriteNew(Grain("n1"), Record("n1", version: 1, OeeTaskStatus.Running), "q", Entry("n1", 5)),
            store.WriteNew(Grain("n2"), Record("n2", version: 1), "q", Entry("n2", 6)),
            store.Write(Grain("plain"), Record("plain", version: 1), etag: null),
            store.WriteNew(Grain("old"), Record("old", version: 1), "q", Entry("old", 7)),
        });

        Assert.Equal("1", await writes[0]);
        Assert.Equal("1", await writes[1]);
        Assert.Equal("1", await writes[2]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[3]);
        Assert.Equal(2, await Scalar("SELECT count(*) FROM oee_queue_entry WHERE service_id = 'records' AND queue = 'q' AND task_id IN ('n1', 'n2') AND due_at IS NULL"));
        Assert.Equal(0, await Scalar("SELECT count(*) FROM oee_queue_entry WHERE service_id = 'records' AND task_id IN ('old', 'plain')"));
        Assert.Equal(6, await Scalar("SELECT sequence FROM oee_queue_entry WHERE service_id = 'records' AND task_id = 'n2'"));
        Assert.Equal(7, await Scalar("SELECT next_sequence FROM oee_queue WHERE service_id = 'records' AND queue = 'q'"));
        Assert.Equal(OeeTaskStatus.Running, (await store.Read(Grain("n1"))).Record!.Status);

        // The database gone: neither the record nor the entry lands.
        await SetConnections(allowed: false);
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => store.WriteNew(Grain("lost"), Record("lost", version: 1), "q", Entry("lost", 8)));
        }
        finally
        {
            await SetConnections(allowed: true);
        }

        Assert.Equal(0, await Scalar("SELECT count(*) FROM oee_task_record WHERE service_id = 'records' AND id = 'lost'"));
        Assert.Equal(0, await Scalar("SELECT count(*) FROM oee_queue_entry WHERE service_id = 'records' AND task_id = 'lost'"));
        Assert.Equal("1", await RetryWhileUnavailable(() => store.WriteNew(Grain("lost"), Record("lost", version: 1), "q", Entry("lost", 8))));
        Assert.Equal(1, await Scalar("SELECT count(*) FROM oee_queue_entry WHERE service_id = 'records' AND task_id = 'lost'"));
        Assert.Equal(9, await Scalar("SELECT next_sequence FROM oee_queue WHERE service_id = 'records' AND queue = 'q'"));
    }

    [Fact]
    public async Task Migration_0013_moves_records_kept_in_orleans_grain_storage_with_their_versions()
    {
        // A record as the ADO.NET grain storage kept it (state "task", the string key whole in the key
        // extension, the payload the same serializer's bytes), and another grain's state that stays.
        var payload = new OrleansGrainStorageSerializer(Serializer()).Serialize(new TaskGrainState { Task = Record("legacy", version: 3, OeeTaskStatus.Done) }).ToArray();
        await using (var insert = dataSource.CreateCommand(
            """
            INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, Version)
            VALUES (11, 0, 0, 22, 'task', 'legacy', 'records', $1, 5), (12, 0, 0, 23, 'queue', 'q1', 'records', $1, 2)
            """))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = payload });
            await insert.ExecuteNonQueryAsync();
        }

        await using (var migrate = dataSource.CreateCommand(await Script("0013_oee_task_record.sql")))
        {
            await migrate.ExecuteNonQueryAsync();
        }

        var moved = await store.Read(Grain("legacy"));
        Assert.Equal("5", moved.ETag);
        Assert.Equal(OeeTaskStatus.Done, moved.Record!.Status);
        Assert.Equal("6", await store.Write(Grain("legacy"), moved.Record with { Version = 4 }, moved.ETag));
        Assert.Equal(0, await Scalar("SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = 'task'"));
        Assert.Equal(1, await Scalar("SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = 'queue'"));
    }

    private static GrainId Grain(string id) => GrainId.Create("task", id);

    private static TaskRecord Record(string id, long version, OeeTaskStatus status = OeeTaskStatus.Queued) => new()
    {
        Id = id,
        Name = "n",
        Handler = "echo",
        Queue = "q",
        Status = status,
        CreatedAt = T0,
        Version = version,
    };

    private static Oee.Grains.Queues.QueueEntry Entry(string id, long sequence) => new(id, 5, sequence, null, T0);

    private static Serializer Serializer()
    {
        var services = new ServiceCollection();
        services.AddSerializer(builder => builder.AddAssembly(typeof(TaskRecord).Assembly));
        return services.BuildServiceProvider().GetRequiredService<Serializer>();
    }

    private static StoredTaskShape Shape(Oee.Grains.Storage.StoredTask stored) => new(stored.Record, stored.ETag);

    private static async Task<string> Script(string name)
    {
        await using var stream = typeof(PostgresMigrator).Assembly.GetManifestResourceStream("Oee.Grains.Persistence.Postgres.Sql." + name)
            ?? throw new InvalidOperationException($"No embedded script {name}.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Starts the writes while another session holds the record table, then lets them through.</summary>
    private async Task<Task<string>[]> WhileLocked(Func<Task<string>[]> start)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE oee_task_record IN ACCESS EXCLUSIVE MODE", connection, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var writes = start();
        await transaction.CommitAsync();
        return writes;
    }

    private async Task<long> Scalar(string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<T> RetryWhileUnavailable<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (FaultTranslation.FindProviderError(ex) is not null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private Task SetConnections(bool allowed) => database.SetConnectionsAllowed(allowed);

    private sealed record StoredTaskShape(TaskRecord? Record, string? ETag);
}
