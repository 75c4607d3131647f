using Oee.Grains.Contracts;

namespace Oee.Grains.Client;

/// <summary>The base of OEE's client-side errors.</summary>
[GenerateSerializer, Alias("oee.exception")]
public abstract class OeeException(string message) : Exception(message);

/// <summary>
/// A request had invalid fields (HTTP 400). Serializable: a grain that refuses a request (e.g. a
/// queue's callback URL whose host only the silo's settings allow) throws it to its caller, field
/// errors included.
/// </summary>
[GenerateSerializer, Alias("oee.validation-exception")]
public sealed class OeeValidationException : OeeException
{
    /// <summary>Creates the exception with no field errors (used by serialization).</summary>
    public OeeValidationException()
        : this(Array.Empty<FieldError>())
    {
    }

    /// <summary>Creates the exception from each invalid field and what is wrong with it.</summary>
    public OeeValidationException(IReadOnlyList<FieldError> errors)
        : base("Invalid request: " + string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")))
    {
        // An array: what Orleans copies across a grain call (never a compiler-synthesized list).
        Errors = errors.ToArray();
    }

    /// <summary>Each invalid field and what is wrong with it.</summary>
    [Id(0)]
    public IReadOnlyList<FieldError> Errors { get; private set; }

    /// <summary>One invalid field.</summary>
    public static OeeValidationException For(string field, string message) => new([new FieldError(field, message)]);
}

/// <summary>No such task, queue or schedule (HTTP 404).</summary>
public sealed class OeeNotFoundException(string kind, string id)
    : OeeException(kind is "queue" or "schedule" ? $"No {kind} is named '{id}'." : $"No {kind} has the id '{id}'.")
{
    /// <summary>"task", "queue" or "schedule".</summary>
    public string Kind { get; } = kind;

    /// <summary>The id asked for (a queue's or a schedule's name).</summary>
    public string Id { get; } = id;
}

/// <summary>The request conflicts with the current state (HTTP 409).</summary>
public sealed class OeeConflictException(string message, TaskRecord? current = null) : OeeException(message)
{
    /// <summary>The task as it is, when the conflict is about a task.</summary>
    public TaskRecord? Current { get; } = current;
}

/// <summary>
/// The task's queue is full (HTTP 429): it already holds its <c>maxPending</c> waiting tasks. The task
/// was refused whole: nothing of it was stored or indexed. Submit it again after <see cref="RetryAfter"/>.
/// </summary>
public sealed class OeeQueueFullException(string queue, TimeSpan retryAfter, string message) : OeeException(message)
{
    /// <summary>The full queue.</summary>
    public string Queue { get; } = queue;

    /// <summary>How long to wait before submitting again (whole seconds, at least 1).</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
