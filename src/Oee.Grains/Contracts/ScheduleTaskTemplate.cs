namespace Oee.Grains.Contracts;

/// <summary>The task each occurrence of a schedule submits (the fields of <see cref="SubmitTaskRequest"/> but its id).</summary>
[GenerateSerializer, Alias("oee.schedule-task-template")]
public sealed record ScheduleTaskTemplate
{
    /// <summary>A human-readable name (1–200 characters).</summary>
    [Id(0)] public string Name { get; init; } = "";

    /// <summary>The registered handler to run, e.g. "echo".</summary>
    [Id(1)] public string Handler { get; init; } = "";

    /// <summary>The queue; "default" when omitted.</summary>
    [Id(2)] public string? Queue { get; init; }

    /// <summary>0–10, higher first; 5 when omitted.</summary>
    [Id(3)] public int? Priority { get; init; }

    /// <summary>Optional labels (at most 20, each <c>[A-Za-z0-9._:-]</c>, at most 64).</summary>
    [Id(4)] public string[]? Tags { get; init; }

    /// <summary>The input as JSON text, the same for every occurrence.</summary>
    [Id(5)] public string? Input { get; init; }

    /// <summary>How many attempts each task may use (1–100); the silo's default when omitted.</summary>
    [Id(6)] public int? MaxAttempts { get; init; }

    /// <summary>How long each task's body may run (see <see cref="SubmitTaskRequest.Timeout"/>); the queue's default when omitted.</summary>
    [Id(7)] public TimeSpan? Timeout { get; init; }

    /// <summary>The retry policy of each task (see <see cref="SubmitTaskRequest.Retry"/>); the queue's default when omitted.</summary>
    [Id(8)] public RetryPolicy? Retry { get; init; }

    /// <summary>The concurrency key of each task (see <see cref="SubmitTaskRequest.ConcurrencyKey"/>).</summary>
    [Id(9)] public string? ConcurrencyKey { get; init; }

    /// <summary>The submit request of the occurrence whose task id is <paramref name="taskId"/>.</summary>
    public SubmitTaskRequest ToRequest(string? taskId) => new()
    {
        Id = taskId,
        Name = Name,
        Handler = Handler,
        Queue = Queue,
        Priority = Priority,
        Tags = Tags,
        Input = Input,
        MaxAttempts = MaxAttempts,
        Timeout = Timeout,
        Retry = Retry,
        ConcurrencyKey = ConcurrencyKey,
    };
}
