using Oee.Grains.Contracts;
using Oee.Grains.Handlers;

namespace Oee.Grains.Tasks;

/// <summary>
/// A submit's defaults and checks, in one place: which fields a request must get right (the
/// validator's field rules; in a silo also the handler and its input), what an omitted field
/// means, the record a new task starts as, and whether a repeated submit asks for the same task.
/// A new submit field is added here once (<see cref="Accept"/> and <see cref="IsSameRequest"/>).
/// </summary>
internal sealed class SubmitPolicy
{
    private readonly SubmitTaskRequestValidator validator;
    private readonly TaskHandlerRegistry? handlers;
    private readonly int defaultMaxAttempts;

    /// <summary>A silo's policy: every rule, the handler's input check included.</summary>
    public SubmitPolicy(int maxInputBytes, int defaultMaxAttempts, TaskHandlerRegistry handlers)
        : this(new SubmitTaskRequestValidator(maxInputBytes), handlers, defaultMaxAttempts)
    {
    }

    private SubmitPolicy(SubmitTaskRequestValidator validator, TaskHandlerRegistry? handlers, int defaultMaxAttempts)
    {
        this.validator = validator;
        this.handlers = handlers;
        this.defaultMaxAttempts = defaultMaxAttempts;
    }

    /// <summary>
    /// A client's policy: the field rules that need no silo, so that a malformed request never
    /// leaves the caller. The silo knows its handlers and its input size limit and checks those.
    /// </summary>
    public static SubmitPolicy ForClient { get; } = new(new SubmitTaskRequestValidator(int.MaxValue), handlers: null, defaultMaxAttempts: 0);

    /// <summary>The queue of a request: its own, or <see cref="TaskLimits.DefaultQueue"/>.</summary>
    public static string QueueOf(SubmitTaskRequest request) => request.Queue ?? TaskLimits.DefaultQueue;

    /// <summary>The priority of a request: its own, or <see cref="TaskLimits.DefaultPriority"/>.</summary>
    public static int PriorityOf(SubmitTaskRequest request) => request.Priority ?? TaskLimits.DefaultPriority;

    /// <summary>Every field error of the request (empty when it may be submitted).</summary>
    public IReadOnlyList<FieldError> Check(SubmitTaskRequest request)
    {
        var errors = validator.Check(request);
        if (errors.Count == 0 && handlers?.Check(request.Handler, request.Input) is { } handlerError)
        {
            return [handlerError];
        }

        return errors;
    }

    /// <summary>The record of a task accepted now, from a checked request, at its place in its queue.</summary>
    public TaskRecord Accept(string id, SubmitTaskRequest request, long sequence, DateTimeOffset acceptedAt) => new()
    {
        Id = id,
        Name = request.Name,
        Handler = request.Handler,
        Queue = QueueOf(request),
        Priority = PriorityOf(request),
        Tags = request.Tags is { Length: > 0 } tags ? [.. tags] : [],
        Input = request.Input,
        MaxAttempts = request.MaxAttempts ?? defaultMaxAttempts,
        Timeout = request.Timeout,
        ConcurrencyKey = request.ConcurrencyKey,
        Status = request.DependsOn is { Length: > 0 } ? OeeTaskStatus.Waiting : OeeTaskStatus.Queued,
        DependsOn = request.DependsOn is { Length: > 0 } dependsOn ? [.. dependsOn] : [],
        PendingDependencies = request.DependsOn is { Length: > 0 } pending ? [.. pending] : [],
        RunOnDependencyFailure = request.RunOnDependencyFailure ?? false,
        CreatedAt = acceptedAt,
        Sequence = sequence,
        Version = 1,
    };

    /// <summary>
    /// True when a repeated submit with a task's id asks for that task: every field the request sets
    /// (defaults applied) equals the task's; JSON inputs compare by value, dependencies as a set. An
    /// omitted maxAttempts or timeout matches whatever default the task got.
    /// </summary>
    public static bool IsSameRequest(TaskRecord task, SubmitTaskRequest request) =>
        string.Equals(task.Name, request.Name, StringComparison.Ordinal)
        && string.Equals(task.Handler, request.Handler, StringComparison.Ordinal)
        && string.Equals(task.Queue, QueueOf(request), StringComparison.Ordinal)
        && task.Priority == PriorityOf(request)
        && task.Tags.SequenceEqual(request.Tags ?? [], StringComparer.Ordinal)
        && (request.MaxAttempts is null || request.MaxAttempts == task.MaxAttempts)
        && (request.Timeout is null || request.Timeout == task.Timeout)
        && task.DependsOn.Order(StringComparer.Ordinal).SequenceEqual((request.DependsOn ?? []).Order(StringComparer.Ordinal), StringComparer.Ordinal)
        && task.RunOnDependencyFailure == (request.RunOnDependencyFailure ?? false)
        && string.Equals(task.ConcurrencyKey, request.ConcurrencyKey, StringComparison.Ordinal)
        && JsonText.AreEquivalent(task.Input, request.Input);
}
