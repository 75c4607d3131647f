using System.Text.Json.Serialization;

namespace Oee.Api.Models;

/// <summary>
/// A task's status on the wire: <c>queued</c> → <c>running</c> → <c>done</c> | <c>error</c>, and
/// <c>cancelled</c>; the last three are final. A task with dependencies starts <c>waiting</c>; <c>scheduled</c>:
/// waiting for a time (a delayed start, or the backoff before a retry), then queued. (Named TaskState, not TaskStatus, so that
/// generated .NET clients do not clash with System.Threading.Tasks.TaskStatus.)
/// </summary>
[JsonConverter(typeof(WireEnumConverter<TaskState>))]
public enum TaskState
{
    /// <summary>Accepted and waiting in its queue for a slot.</summary>
    [JsonStringEnumMemberName("queued")]
    Queued,

    /// <summary>Its body is executing on a worker.</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>The body finished with a result. Final.</summary>
    [JsonStringEnumMemberName("done")]
    Done,

    /// <summary>The body failed; the error is recorded. Final.</summary>
    [JsonStringEnumMemberName("error")]
    Error,

    /// <summary>Cancelled before or while running. Final.</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,

    /// <summary>Accepted, waiting for its dependencies to be done; then queued.</summary>
    [JsonStringEnumMemberName("waiting")]
    Waiting,

    /// <summary>Waiting for its time (nextRunAt): a delayed start, or the backoff before a retry; then queued.</summary>
    [JsonStringEnumMemberName("scheduled")]
    Scheduled,
}
