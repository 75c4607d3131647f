using System.Globalization;
using System.Text.Json;
using Oee.Grains.Contracts;

namespace Oee.Api.Models;

/// <summary>Maps between HTTP models and grain contracts.</summary>
internal static class ModelMapping
{
    public static SubmitTaskRequest ToRequest(this SubmitTaskBody body) => new()
    {
        Id = body.Id,
        Name = body.Name ?? "",
        Handler = body.Handler ?? "",
        Queue = body.Queue,
        Priority = body.Priority,
        Tags = body.Tags,
        Input = body.Input is { ValueKind: not JsonValueKind.Null } input ? input.GetRawText() : null,
    };

    public static TaskResponse ToResponse(this TaskRecord task) => new(
        task.Id,
        task.Name,
        task.Handler,
        task.Queue,
        task.Priority,
        task.Tags,
        task.Status.ToWireName(),
        task.CreatedAt,
        task.StartedAt,
        task.CompletedAt,
        task.Attempt,
        ToJson(task.Input),
        ToJson(task.Result),
        task.Error is { } error ? new TaskErrorResponse(error.Message, error.Type) : null,
        task.Sequence,
        task.CancelRequested,
        task.Silo,
        task.Version);

    public static SubmitBatchResponse ToResponse(this BatchItemResult[] results) => new(
        results.Count(r => r.Status == SubmitStatus.Created),
        results.Count(r => r.Status == SubmitStatus.Existing),
        results.Count(r => r.Status == SubmitStatus.Conflict),
        results.Count(r => r.Status == SubmitStatus.Invalid),
        results.Count(r => r.Status == SubmitStatus.Failed),
        [.. results.Select(ToResponse)]);

    public static BatchItemResponse ToResponse(this BatchItemResult result) => new(
        result.Id,
        result.Status.ToString().ToLowerInvariant(),
        result.Task?.ToResponse(),
        result.Errors.Length == 0 ? null : result.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
        result.Failure);

    public static TaskSummaryResponse ToResponse(this TaskSummary task) => new(
        task.Id,
        task.Name,
        task.Handler,
        task.Queue,
        task.Priority,
        task.Tags,
        task.Status.ToWireName(),
        task.CreatedAt,
        task.StartedAt,
        task.CompletedAt,
        task.Attempt,
        task.Silo);

    public static TaskPageResponse ToResponse(this TaskPage page) => new([.. page.Items.Select(ToResponse)], page.NextCursor);

    public static QueueResponse ToResponse(this QueueStatus queue) => new(
        queue.Name,
        queue.Pending,
        queue.PendingByPriority.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value),
        queue.Running,
        queue.MaxConcurrency,
        queue.Paused,
        queue.Enqueued,
        queue.Started,
        queue.Finished);

    public static SystemResponse ToResponse(this SystemStatus status) => new(
        [.. status.Silos.Select(s => new SiloResponse(s.Address, s.Name, s.Status, s.WorkerSlotsBusy, s.WorkerSlotsTotal))],
        [.. status.Queues.Select(ToResponse)],
        status.TaskCounts.ToDictionary(c => c.Key.ToWireName(), c => c.Value));

    private static JsonElement? ToJson(string? text)
    {
        if (text is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
