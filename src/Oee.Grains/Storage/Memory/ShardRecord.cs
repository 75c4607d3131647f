using Oee.Grains.Contracts;

namespace Oee.Grains.Storage.Memory;

/// <summary>
/// How memory mode's index shard holds one task: the fields every task has, packed (times as ticks
/// and offset, small numbers as bytes), and the job-system fields that most tasks leave at their
/// defaults (retries, delays, dependencies, progress, webhooks, tenant, parent, trace) in one
/// optional <see cref="ShardRecordExtras"/>, null for a plain task. A million queued tasks then cost
/// a million small objects instead of a million full <see cref="TaskRecord"/>s. Never serialized:
/// <see cref="ToRecord"/> gives back the record as stored, field for field.
/// </summary>
internal sealed class ShardRecord
{
    // Inputs and results up to this many characters ("{}", "null", a small object) are shared like
    // names: many tasks carry the same small ones, and a short string costs more in headers than in text.
    private const int MaxSharedInput = 32;

    // The order key (creation instant, then id) never changes: the sorted sets holding this record
    // stay valid when Overwrite replaces everything else in place.
    private readonly long createdTicks;
    private readonly short createdOffset;
    private long startedTicks;
    private long completedTicks;
    private short startedOffset;
    private short completedOffset;
    private byte priority;
    private byte status;
    private bool cancelRequested;

    private ShardRecord(TaskRecord record, Func<string?, string?> share)
    {
        Key = TaskKey.Of(record.Id);
        (createdTicks, createdOffset) = Pack(record.CreatedAt);
        Fill(record, share);
    }

    /// <summary>The task id, as held (no string for an engine UUID).</summary>
    public TaskKey Key { get; }

    /// <summary>The task id (a new string for an engine UUID).</summary>
    public string Id => Key.ToString();

    public string Name { get; private set; } = "";

    public string Handler { get; private set; } = "";

    public string Queue { get; private set; } = "";

    public string[] Tags { get; private set; } = [];

    public string? Input { get; private set; }

    public string? Result { get; private set; }

    public TaskError? Error { get; private set; }

    public string? Silo { get; private set; }

    public long Sequence { get; private set; }

    public long Version { get; private set; }

    public int Attempt { get; private set; }

    public int MaxAttempts { get; private set; }

    /// <summary>The rarely set fields, or null when all of them are at their defaults.</summary>
    public ShardRecordExtras? Extras { get; private set; }

    public OeeTaskStatus Status => (OeeTaskStatus)status;

    public DateTimeOffset CreatedAt => Unpack(createdTicks, createdOffset)!.Value;

    public DateTimeOffset? CompletedAt => Unpack(completedTicks, completedOffset);

    /// <summary>The instant of <see cref="CreatedAt"/> in UTC ticks (what orders the listing).</summary>
    public long CreatedUtcTicks => createdTicks - (createdOffset * TimeSpan.TicksPerMinute);

    public string? ParentId => Extras?.ParentId;

    public string? Tenant => Extras?.Tenant;

    public bool DeadLettered => Extras?.DeadLettered ?? false;

    /// <summary>
    /// Whether <see cref="Overwrite"/> can take <paramref name="record"/>, a newer record of this task:
    /// it has the same creation instant, parent and tenant (what places a record in the shard's sets,
    /// apart from its status).
    /// </summary>
    public bool CanOverwrite(TaskRecord record) =>
        record.CreatedAt.Ticks == createdTicks
        && record.CreatedAt.Offset.Ticks == createdOffset * TimeSpan.TicksPerMinute
        && string.Equals(record.ParentId, ParentId, StringComparison.Ordinal)
        && string.Equals(record.Tenant, Tenant, StringComparison.Ordinal);

    /// <summary>
    /// Holds <paramref name="record"/> in place of what this held: a rewrite keeps its place in every
    /// set ordered by creation (the caller moves it between status sets when its status changes).
    /// Only for a record that <see cref="CanOverwrite"/> accepts.
    /// </summary>
    public void Overwrite(TaskRecord record, Func<string?, string?> share) => Fill(record, share);

    /// <summary>
    /// The shard's form of <paramref name="record"/>, its names, queue, silo and keys taken through
    /// <paramref name="share"/> (one copy of equal strings per shard). The priority (0–10) and status
    /// must fit a byte.
    /// </summary>
    public static ShardRecord Of(TaskRecord record, Func<string?, string?> share) => new(record, share);

    /// <summary>The record as stored.</summary>
    public TaskRecord ToRecord() => new()
    {
        Id = Id,
        Name = Name,
        Handler = Handler,
        Queue = Queue,
        Priority = priority,
        Tags = Tags,
        Input = Input,
        Status = Status,
        CreatedAt = CreatedAt,
        StartedAt = Unpack(startedTicks, startedOffset),
        CompletedAt = CompletedAt,
        Attempt = Attempt,
        Result = Result,
        Error = Error,
        Sequence = Sequence,
        CancelRequested = cancelRequested,
        Silo = Silo,
        Version = Version,
        MaxAttempts = MaxAttempts,
        Timeout = Extras?.Timeout,
        DependsOn = Extras?.DependsOn ?? [],
        RunOnDependencyFailure = Extras?.RunOnDependencyFailure ?? false,
        PendingDependencies = Extras?.PendingDependencies ?? [],
        Dependents = Extras?.Dependents ?? [],
        ConcurrencyKey = Extras?.ConcurrencyKey,
        NextRunAt = Extras?.NextRunAt,
        DeadLettered = DeadLettered,
        Retry = Extras?.Retry,
        AttemptsBeforeRetry = Extras?.AttemptsBeforeRetry ?? 0,
        Progress = Extras?.Progress,
        CallbackUrl = Extras?.CallbackUrl,
        CallbackEvents = Extras?.CallbackEvents ?? default,
        WebhookDeliveries = Extras?.WebhookDeliveries ?? [],
        SubmittedBy = Extras?.SubmittedBy,
        Tenant = Tenant,
        ParentId = ParentId,
        TraceParent = Extras?.TraceParent,
    };

    /// <summary>The listing's form, without building the whole record (as <see cref="TaskRecord.ToSummary"/>).</summary>
    public TaskSummary ToSummary() => new()
    {
        Id = Id,
        Name = Name,
        Handler = Handler,
        Queue = Queue,
        Priority = priority,
        Tags = Tags,
        Status = Status,
        CreatedAt = CreatedAt,
        StartedAt = Unpack(startedTicks, startedOffset),
        CompletedAt = CompletedAt,
        Attempt = Attempt,
        Silo = Silo,
        Version = Version,
        ConcurrencyKey = Extras?.ConcurrencyKey,
        NextRunAt = Extras?.NextRunAt,
        DeadLettered = DeadLettered,
        ParentId = ParentId,
        Tenant = Tenant,
    };

    private void Fill(TaskRecord record, Func<string?, string?> share)
    {
        Name = share(record.Name)!;
        Handler = share(record.Handler)!;
        Queue = share(record.Queue)!;
        Tags = record.Tags.Length == 0 ? [] : record.Tags;
        Input = record.Input is { Length: <= MaxSharedInput } small ? share(small) : record.Input;
        Result = record.Result is { Length: <= MaxSharedInput } smallResult ? share(smallResult) : record.Result;
        Error = record.Error;
        Silo = share(record.Silo);
        Sequence = record.Sequence;
        Version = record.Version;
        Attempt = record.Attempt;
        MaxAttempts = record.MaxAttempts;
        (startedTicks, startedOffset) = Pack(record.StartedAt);
        (completedTicks, completedOffset) = Pack(record.CompletedAt);
        priority = checked((byte)record.Priority);
        status = checked((byte)record.Status);
        cancelRequested = record.CancelRequested;
        Extras = ShardRecordExtras.Of(record, share);
    }

    // A time as its clock ticks and offset in minutes (what a DateTimeOffset holds); no time: ticks -1.
    private static (long Ticks, short Offset) Pack(DateTimeOffset? at) =>
        at is { } value ? (value.Ticks, (short)(value.Offset.Ticks / TimeSpan.TicksPerMinute)) : (-1, 0);

    private static DateTimeOffset? Unpack(long ticks, short offset) =>
        ticks < 0 ? null : new DateTimeOffset(ticks, TimeSpan.FromMinutes(offset));
}

/// <summary><see cref="NewestFirstOrder"/> on shard records: createdAt desc, then id desc.</summary>
internal sealed class ShardRecordOrder : IComparer<ShardRecord>
{
    public static ShardRecordOrder Instance { get; } = new();

    public int Compare(ShardRecord? x, ShardRecord? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var byTime = y.CreatedUtcTicks.CompareTo(x.CreatedUtcTicks);
        return byTime != 0 ? byTime : TaskKey.CompareOrdinal(y.Key, x.Key);
    }
}
