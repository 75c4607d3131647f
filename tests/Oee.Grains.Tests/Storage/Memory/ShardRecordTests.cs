using System.Reflection;
using System.Text.Json;
using Oee.Grains.Contracts;
using Oee.Grains.Storage.Memory;

namespace Oee.Grains.Tests.Storage.Memory;

public sealed class ShardRecordTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 1, 2, 3, TimeSpan.FromHours(2));

    private static readonly Func<string?, string?> NoSharing = static s => s;

    private static TaskRecord Plain() => new()
    {
        Id = "0199a0b1-0000-7000-8000-000000000001",
        Name = "plain",
        Handler = "echo",
        Queue = "default",
        Priority = 5,
        Input = "{}",
        Status = OeeTaskStatus.Queued,
        CreatedAt = T0,
        Sequence = 12,
        Version = 1,
        MaxAttempts = 3,
    };

    /// <summary>
    /// A record with every property of <see cref="TaskRecord"/> set to a value other than its default,
    /// found by reflection: a property added to the record later is covered without touching this test
    /// (or the test names the type it cannot fill).
    /// </summary>
    private static TaskRecord Full()
    {
        object record = Plain();
        var properties = typeof(TaskRecord).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        for (var i = 0; i < properties.Count; i++)
        {
            properties[i].SetValue(record, ValueFor(properties[i], i));
        }

        return (TaskRecord)record;
    }

    private static object ValueFor(PropertyInfo property, int index)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var at = T0.AddMinutes(index).ToOffset(TimeSpan.FromMinutes(30 * (index % 5)));
        return type switch
        {
            _ when type == typeof(string) => $"{property.Name}-{index}",
            _ when type == typeof(string[]) => new[] { $"{property.Name}-a", $"{property.Name}-b" },
            _ when type == typeof(int) => 7 + (index % 3),
            _ when type == typeof(long) => 1000L + index,
            _ when type == typeof(bool) => true,
            _ when type == typeof(OeeTaskStatus) => OeeTaskStatus.Running,
            _ when type == typeof(DateTimeOffset) => at,
            _ when type == typeof(TimeSpan) => TimeSpan.FromSeconds(30 + index),
            _ when type == typeof(TaskError) => new TaskError("it broke", "System.InvalidOperationException"),
            _ when type == typeof(RetryPolicy) => new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(2), Multiplier = 3, Jitter = 0.5 },
            _ when type == typeof(TaskProgress) => new TaskProgress(40, "step 2 of 5", at),
            _ when type == typeof(WebhookEvents) => WebhookEvents.All,
            _ when type == typeof(WebhookDelivery[]) => new[] { new WebhookDelivery { WebhookId = "w1", EventVersion = 3, Status = OeeTaskStatus.Done, Attempts = 2, StatusCode = 204, Succeeded = true, StartedAt = at, CompletedAt = at.AddSeconds(1) } },
            _ => throw new InvalidOperationException($"TaskRecord.{property.Name} has type {type}: give it a non-default value here, and carry it in ShardRecord."),
        };
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    [Fact]
    public void A_plain_task_has_no_extras_and_reads_back_field_for_field()
    {
        var record = Plain();

        var stored = ShardRecord.Of(record, NoSharing);

        Assert.Null(stored.Extras);
        Assert.Equal(Json(record), Json(stored.ToRecord()));
        Assert.Equal(Json(record.ToSummary()), Json(stored.ToSummary()));
    }

    [Fact]
    public void A_record_with_every_field_set_reads_back_field_for_field_offsets_included()
    {
        var record = Full();

        var stored = ShardRecord.Of(record, NoSharing);
        var back = stored.ToRecord();

        Assert.NotNull(stored.Extras);
        Assert.Equal(Json(record), Json(back));
        Assert.Equal(record.CreatedAt.Offset, back.CreatedAt.Offset);
        Assert.Equal(record.NextRunAt!.Value.Offset, back.NextRunAt!.Value.Offset);
        Assert.Equal(Json(record.ToSummary()), Json(stored.ToSummary()));
    }

    [Theory]
    [InlineData(nameof(TaskRecord.Tenant))]
    [InlineData(nameof(TaskRecord.ParentId))]
    [InlineData(nameof(TaskRecord.Retry))]
    [InlineData(nameof(TaskRecord.NextRunAt))]
    [InlineData(nameof(TaskRecord.DependsOn))]
    [InlineData(nameof(TaskRecord.Progress))]
    [InlineData(nameof(TaskRecord.CallbackEvents))]
    [InlineData(nameof(TaskRecord.TraceParent))]
    public void One_rare_field_set_is_kept_with_the_others_at_their_defaults(string name)
    {
        object record = Plain();
        var property = typeof(TaskRecord).GetProperty(name)!;
        property.SetValue(record, ValueFor(property, 3));

        var stored = ShardRecord.Of((TaskRecord)record, NoSharing);

        Assert.NotNull(stored.Extras);
        Assert.Equal(Json((TaskRecord)record), Json(stored.ToRecord()));
    }

    [Fact]
    public void A_finished_task_keeps_its_times_result_error_and_silo_without_extras()
    {
        var record = Plain() with
        {
            Status = OeeTaskStatus.Error,
            StartedAt = T0.AddSeconds(1),
            CompletedAt = T0.AddSeconds(2),
            Attempt = 3,
            Result = "{\"partial\":true}",
            Error = new TaskError("no", "Boom"),
            Silo = "S127.0.0.1:11111:1",
            CancelRequested = true,
            Version = 9,
        };

        var stored = ShardRecord.Of(record, NoSharing);

        Assert.Null(stored.Extras);
        Assert.Equal(Json(record), Json(stored.ToRecord()));
        Assert.Equal(record.CompletedAt, stored.CompletedAt);
    }

    [Fact]
    public void Shares_names_and_small_inputs_but_not_large_inputs()
    {
        var pool = new StringPool(100);
        Func<string?, string?> share = pool.Share;
        var first = ShardRecord.Of(Plain() with { Name = new string('n', 3), Input = new string('x', 10) }, share);
        var second = ShardRecord.Of(Plain() with { Name = new string('n', 3), Input = new string('x', 10) }, share);
        var large = new string('y', 1000);
        var third = ShardRecord.Of(Plain() with { Input = large }, share);
        var fourth = ShardRecord.Of(Plain() with { Input = new string('y', 1000) }, share);

        Assert.Same(first.Name, second.Name);
        Assert.Same(first.Input, second.Input);
        Assert.Same(large, third.Input);
        Assert.NotSame(third.Input, fourth.Input);
        Assert.Equal(third.Input, fourth.Input);
    }

    [Fact]
    public void Orders_newest_first_by_instant_then_id_descending_as_the_listing_does()
    {
        var older = ShardRecord.Of(Plain() with { Id = "a", CreatedAt = T0 }, NoSharing);

        // The same instant written with another offset, and a later one.
        var sameInstant = ShardRecord.Of(Plain() with { Id = "b", CreatedAt = T0.ToOffset(TimeSpan.Zero) }, NoSharing);
        var newer = ShardRecord.Of(Plain() with { Id = "0", CreatedAt = T0.AddTicks(1) }, NoSharing);

        var order = new[] { older, sameInstant, newer }.Order(ShardRecordOrder.Instance).Select(r => r.Id).ToList();

        Assert.Equal(["0", "b", "a"], order);
    }
}
