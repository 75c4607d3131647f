using System.Runtime.CompilerServices;
using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Benchmarks.Targets;

/// <summary>The engine through <see cref="IOrchestrator"/>: a silo host's or an Orleans client's.</summary>
internal sealed class OrchestratorTarget(
    string description,
    IOrchestrator orchestrator,
    IReadOnlyList<int> siloProcessIds,
    IReadOnlyList<IAsyncDisposable> owned,
    IServiceProvider? siloServices = null,
    ITaskEventSource? events = null) : IBenchTarget
{
    private const int PageSize = TaskQuery.MaxLimit;

    public string Description { get; } = description;

    public IReadOnlyList<int> SiloProcessIds { get; } = siloProcessIds;

    /// <summary>The facade itself, for scenarios beyond tasks and queues (schedules).</summary>
    public IOrchestrator Orchestrator => orchestrator;

    /// <summary>The event feed of the process that submits (silo host or Orleans client), for the <c>events</c> scenario.</summary>
    public ITaskEventSource? Events => events;

    /// <summary>The in-process silo's services (null through an Orleans client), for scenarios that act on the running engine.</summary>
    public IServiceProvider? SiloServices => siloServices;

    public async Task<string> SubmitAsync(string queue, string handler, string input, CancellationToken cancellationToken)
    {
        // Only the id is needed: the answer without the task (as a REST client reads the Location header).
        var submitted = await orchestrator.SubmitForReceiptAsync(Request(queue, handler, input), cancellationToken);
        return submitted.Id;
    }

    public async Task<string> SubmitAtAsync(string queue, string handler, string input, DateTimeOffset runAt, CancellationToken cancellationToken)
    {
        var submitted = await orchestrator.SubmitForReceiptAsync(Request(queue, handler, input) with { RunAt = runAt }, cancellationToken);
        return submitted.Id;
    }

    public async Task SubmitBatchAsync(string queue, string handler, string input, int count, CancellationToken cancellationToken)
    {
        var results = await orchestrator.SubmitBatchForReceiptsAsync([.. Enumerable.Repeat(Request(queue, handler, input), count)], cancellationToken);
        if (results.FirstOrDefault(r => r.Status != SubmitStatus.Created) is { } refused)
        {
            throw new InvalidOperationException($"A batch submit did not create task {refused.Id}: {refused.Status} {refused.Failure}");
        }
    }

    public async Task SubmitFanOutAsync(string queue, string handler, string input, int dependents, CancellationToken cancellationToken)
    {
        var root = Request(queue, handler, input);
        var leaf = root with { DependsOn = ["#0"] };
        var results = await orchestrator.SubmitBatchForReceiptsAsync([root, .. Enumerable.Repeat(leaf, dependents)], cancellationToken);
        if (results.FirstOrDefault(r => r.Status != SubmitStatus.Created) is { } refused)
        {
            throw new InvalidOperationException($"A fan-out batch did not create task {refused.Id}: {refused.Status} {refused.Failure}");
        }
    }

    public async Task<string> SubmitKeyedAsync(string queue, string handler, string input, string concurrencyKey, CancellationToken cancellationToken)
    {
        var submitted = await orchestrator.SubmitForReceiptAsync(Request(queue, handler, input) with { ConcurrencyKey = concurrencyKey }, cancellationToken);
        return submitted.Id;
    }

    public Task ConfigurePerKeyAsync(string queue, int maxConcurrency, int maxPerKey, CancellationToken cancellationToken) =>
        orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = maxConcurrency, MaxPerKey = maxPerKey, Paused = false }, cancellationToken);

    private static SubmitTaskRequest Request(string queue, string handler, string input) =>
        new() { Name = BenchTask.Name, Handler = handler, Queue = queue, Input = input };

    public Task ConfigureQueueAsync(string queue, int maxConcurrency, bool paused, CancellationToken cancellationToken) =>
        orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = maxConcurrency, Paused = paused }, cancellationToken);

    public async Task<QueueCounters> GetQueueAsync(string queue, CancellationToken cancellationToken)
    {
        var status = await orchestrator.GetQueueAsync(queue, cancellationToken);
        return new QueueCounters(status.Enqueued, status.Started, status.Finished, status.Pending, status.Running);
    }

    public async IAsyncEnumerable<TaskTimes> ListDoneAsync(string queue, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await orchestrator.ListAsync(
                new TaskQuery { Queue = queue, Status = OeeTaskStatus.Done, Limit = PageSize, Cursor = cursor },
                cancellationToken);
            foreach (var task in page.Items)
            {
                yield return new TaskTimes(task.Id, task.CreatedAt, task.StartedAt, task.CompletedAt);
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    public Task<int> ClearFinishedAsync(CancellationToken cancellationToken) => orchestrator.ClearFinishedAsync(null, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var resource in owned)
        {
            await resource.DisposeAsync();
        }
    }
}
