using Oee.Grains.Cluster;
using Oee.Grains.Contracts;
using Oee.Grains.Storage;
using Oee.Grains.Tasks;

namespace Oee.Grains.Client;

/// <summary>
/// The <see cref="IOrchestrator"/> over an <see cref="IGrainFactory"/> (a silo's or a client's).
/// Requests are checked here first, so that a malformed one never leaves the caller. A read's cancellation token
/// travels with its grain calls; a change's is honoured until the change is sent (<see cref="UntilSent"/>).
/// </summary>
internal sealed partial class Orchestrator(IGrainFactory grains, TimeProvider time) : IOrchestrator
{
    private const int ClearStep = 5_000;

    /// <inheritdoc />
    public async Task<SubmittedTask> SubmitAsync(SubmitTaskRequest request, CancellationToken cancellationToken = default)
    {
        var id = await CheckSubmit(request, cancellationToken);
        var result = await SendSubmit(id, request, receipt: false, cancellationToken);
        return result.Status switch
        {
            SubmitStatus.Created => new SubmittedTask(result.Task!, Created: true),
            SubmitStatus.Existing => new SubmittedTask(result.Task!, Created: false),
            _ => throw Refusal(id, request, result),
        };
    }

    /// <summary>Checks a submit here, before it leaves the caller (<see cref="OeeValidationException"/>), and answers its task's id.</summary>
    private async ValueTask<string> CheckSubmit(SubmitTaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = SubmitPolicy.ForClient.Check(request, time.GetUtcNow());
        if (errors.Count > 0)
        {
            throw new OeeValidationException(errors);
        }

        if (request.Tenant is not null && request.DependsOn is { Length: > 0 } dependsOn)
        {
            var foreign = await OtherTenants(request.Tenant, dependsOn, cancellationToken);
            if (foreign.Count > 0)
            {
                throw new OeeValidationException([.. foreign.Select(d => new FieldError("dependsOn", MissingDependency(d)))]);
            }
        }

        return request.Id ?? NewId();
    }

    /// <summary>
    /// Sends a checked submit to its task grain; with <paramref name="receipt"/>, to be answered without the task.
    /// A request without an id goes as the submit of a new id (<see cref="ITaskEngineGrain.SubmitNew"/>: its
    /// activation reads no record), sent as it is: it takes its task grain's key, so no copy of the request is made.
    /// </summary>
    private ValueTask<SubmitResult> SendSubmit(string id, SubmitTaskRequest request, bool receipt, CancellationToken cancellationToken) =>
        request.Id is null
            ? grains.Reference<ITaskEngineGrain>(id).SubmitNew(request, receipt, UntilSent(cancellationToken))
            : receipt
                ? grains.Reference<ITaskEngineGrain>(id).SubmitForReceipt(request, UntilSent(cancellationToken))
                : new(grains.Reference<ITaskGrain>(id).Submit(request, UntilSent(cancellationToken)));

    /// <summary>The exception for a submit that created nothing and found no same task.</summary>
    private static Exception Refusal(string id, SubmitTaskRequest request, SubmitResult result) => result.Status switch
    {
        SubmitStatus.Conflict => new OeeConflictException(
            $"Task '{id}' already exists with a different request; submit with another id, or repeat the original request exactly.",
            result.Task),
        SubmitStatus.QueueFull => new OeeQueueFullException(
            SubmitPolicy.QueueOf(request),
            result.RetryAfter ?? TimeSpan.FromSeconds(1),
            result.Detail ?? $"Queue '{SubmitPolicy.QueueOf(request)}' is full; submit the task again later."),
        _ => new OeeValidationException(result.Errors),
    };

    /// <inheritdoc />
    public Task<BatchItemResult[]> SubmitBatchAsync(IReadOnlyList<SubmitTaskRequest> requests, CancellationToken cancellationToken = default) =>
        SubmitBatch(requests, receipts: false, cancellationToken);

    /// <inheritdoc />
    public Task<BatchItemResult[]> SubmitBatchForReceiptsAsync(IReadOnlyList<SubmitTaskRequest> requests, CancellationToken cancellationToken = default) =>
        SubmitBatch(requests, receipts: true, cancellationToken);

    /// <summary>A checked batch to the batch grain; the ids generated here go as new (their activations read nothing).</summary>
    private async Task<BatchItemResult[]> SubmitBatch(IReadOnlyList<SubmitTaskRequest> requests, bool receipts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count is 0 or > TaskLimits.MaxBatchSize)
        {
            throw OeeValidationException.For("tasks", $"A batch holds 1–{TaskLimits.MaxBatchSize} tasks (got {requests.Count}).");
        }

        // Every request is checked before any is sent: a batch with a malformed request submits nothing.
        var errors = new List<FieldError>();
        var withIds = new SubmitTaskRequest[requests.Count];
        var newIds = new bool[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i] is null)
            {
                errors.Add(new FieldError($"tasks[{i}]", "The task is missing."));
                continue;
            }

            newIds[i] = requests[i].Id is null;
            withIds[i] = newIds[i] ? requests[i] with { Id = NewId() } : requests[i];
        }

        if (errors.Count > 0)
        {
            throw new OeeValidationException(errors);
        }

        // "#i" names tasks[i]; then every dependency is an id, checked like any other field.
        var resolved = BatchGraph.ResolveReferences(withIds, errors);
        for (var i = 0; i < resolved.Length; i++)
        {
            var badReference = errors.Any(e => e.Field == $"tasks[{i}].dependsOn");
            errors.AddRange(SubmitPolicy.ForClient.Check(resolved[i], time.GetUtcNow())
                .Where(e => !(badReference && e.Field == "dependsOn"))
                .Select(e => e with { Field = $"tasks[{i}].{e.Field}" }));
        }

        if (errors.Count == 0 && BatchGraph.FindCycle(resolved) is { } cycle)
        {
            errors.Add(cycle);
        }

        if (errors.Count == 0)
        {
            errors.AddRange(await UnknownDependencies(resolved, cancellationToken));
        }

        if (errors.Count > 0)
        {
            throw new OeeValidationException(errors);
        }

        return await grains.GetGrain<IBatchSubmitGrain>(0).Submit(resolved, newIds, receipts, UntilSent(cancellationToken));
    }

    /// <summary>
    /// Dependencies that are neither tasks of the batch nor stored tasks, each named on every task that lists
    /// it. For a task with a tenant, a dependency of another tenant (or of none) counts as missing, in the
    /// batch or stored: a tenant's tasks see only its own.
    /// </summary>
    private async Task<List<FieldError>> UnknownDependencies(SubmitTaskRequest[] requests, CancellationToken cancellationToken)
    {
        var batch = new Dictionary<string, SubmitTaskRequest>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            batch.TryAdd(request.Id!, request);
        }

        var outside = requests.SelectMany(r => r.DependsOn ?? []).Where(d => !batch.ContainsKey(d)).Distinct(StringComparer.Ordinal).ToArray();
        var stored = new Dictionary<string, TaskRecord?>(StringComparer.Ordinal);
        foreach (var chunk in outside.Chunk(32))
        {
            var found = await Task.WhenAll(chunk.Select(id => grains.Reference<ITaskGrain>(id).Get(cancellationToken)));
            for (var k = 0; k < chunk.Length; k++)
            {
                stored[chunk[k]] = found[k];
            }
        }

        bool Visible(SubmitTaskRequest request, string dependency)
        {
            if (batch.TryGetValue(dependency, out var inBatch))
            {
                return request.Tenant is null || string.Equals(inBatch.Tenant, request.Tenant, StringComparison.Ordinal);
            }

            return stored.GetValueOrDefault(dependency) is { } task
                && (request.Tenant is null || string.Equals(task.Tenant, request.Tenant, StringComparison.Ordinal));
        }

        return [.. requests.SelectMany((r, i) => (r.DependsOn ?? [])
            .Where(d => !Visible(r, d))
            .Select(d => new FieldError($"tasks[{i}].dependsOn", MissingDependency(d))))];
    }

    /// <summary>The dependencies of a task of <paramref name="tenant"/> that exist but belong to another tenant (or to none).</summary>
    private async Task<List<string>> OtherTenants(string tenant, string[] dependsOn, CancellationToken cancellationToken)
    {
        var foreign = new List<string>();
        foreach (var chunk in dependsOn.Where(d => TaskLimits.IsIdentifier(d)).Chunk(32))
        {
            var found = await Task.WhenAll(chunk.Select(id => grains.Reference<ITaskGrain>(id).Get(cancellationToken)));
            foreign.AddRange(chunk.Where((_, k) => found[k] is { } task && !string.Equals(task.Tenant, tenant, StringComparison.Ordinal)));
        }

        return foreign;
    }

    // The same words the engine uses for a dependency that does not exist: another tenant's task is not told apart.
    private static string MissingDependency(string id) =>
        $"Task '{id}' does not exist: a task can depend only on tasks submitted before it or in the same batch.";

    /// <inheritdoc />
    public Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken = default)
    {
        RequireId(taskId, "id");
        return grains.Reference<ITaskGrain>(taskId).Get(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<CancelResult> CancelAsync(string taskId, CancellationToken cancellationToken = default)
    {
        RequireId(taskId, "id");
        var result = await grains.Reference<ITaskGrain>(taskId).Cancel(UntilSent(cancellationToken));
        return result.Status switch
        {
            CancelStatus.NotFound => throw new OeeNotFoundException("task", taskId),
            CancelStatus.AlreadyFinished => throw new OeeConflictException(
                $"Task '{taskId}' already finished as {result.Task!.Status.ToWireName()}; a finished task cannot be cancelled.",
                result.Task),
            _ => result,
        };
    }

    /// <inheritdoc />
    public async Task<TaskRecord> RetryAsync(string taskId, CancellationToken cancellationToken = default)
    {
        RequireId(taskId, "id");
        var result = await grains.Reference<ITaskGrain>(taskId).Retry(UntilSent(cancellationToken));
        return result.Status switch
        {
            RetryStatus.NotFound => throw new OeeNotFoundException("task", taskId),
            RetryStatus.NotRetryable => throw new OeeConflictException(result.Reason ?? $"Task '{taskId}' cannot be retried now.", result.Task),
            _ => result.Task!,
        };
    }

    /// <inheritdoc />
    public Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new List<FieldError>();
        if (query.Limit is < 1 or > TaskQuery.MaxLimit)
        {
            errors.Add(new FieldError("limit", $"Limit must be a whole number from 1 to {TaskQuery.MaxLimit}."));
        }

        if (query.Queue is not null && !TaskLimits.IsIdentifier(query.Queue))
        {
            errors.Add(new FieldError("queue", "Queue must be 1–128 characters of [A-Za-z0-9._:-]."));
        }

        if (query.Name is not null && (query.Name.Length > TaskLimits.MaxNameLength || !TaskLimits.IsStorableText(query.Name)))
        {
            errors.Add(new FieldError("name", $"Name must be at most {TaskLimits.MaxNameLength} characters without the NUL character (U+0000)."));
        }

        if (query.Tag is not null && !TaskLimits.IsIdentifier(query.Tag, TaskLimits.MaxTagLength))
        {
            errors.Add(new FieldError("tag", $"Tag must be 1–{TaskLimits.MaxTagLength} characters of [A-Za-z0-9._:-]."));
        }

        if (query.ParentId is not null && !TaskLimits.IsIdentifier(query.ParentId))
        {
            errors.Add(new FieldError("parentId", "ParentId must be a task id: 1–128 characters of [A-Za-z0-9._:-]."));
        }

        if (query.Tenant is not null && !TaskLimits.IsTenant(query.Tenant))
        {
            errors.Add(new FieldError("tenant", $"Tenant must be 1–{TaskLimits.MaxTenantLength} characters of [A-Za-z0-9._-]."));
        }

        if (query.Cursor is not null && !TaskCursor.TryDecode(query.Cursor, out _))
        {
            errors.Add(new FieldError("cursor", "Cursor is not one this service issued; pass nextCursor from the previous page unchanged."));
        }

        return errors.Count > 0
            ? Task.FromException<TaskPage>(new OeeValidationException(errors))
            : grains.GetGrain<ITaskIndexGrain>(0).Query(query, cancellationToken);
    }

    /// <inheritdoc />
    public Task<QueueStatus[]> ListQueuesAsync(CancellationToken cancellationToken = default) =>
        grains.GetGrain<ISystemGrain>(0).ListQueues(cancellationToken);

    /// <inheritdoc />
    public async Task<QueueStatus> GetQueueAsync(string name, CancellationToken cancellationToken = default)
    {
        RequireId(name, "name");
        if (!await grains.GetGrain<ISystemGrain>(0).QueueExists(name, cancellationToken))
        {
            throw new OeeNotFoundException("queue", name);
        }

        return await grains.Reference<IQueueGrain>(name).GetStatus(cancellationToken);
    }

    /// <inheritdoc />
    public Task<QueueStatus> ConfigureQueueAsync(string name, QueueSettingsUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        RequireId(name, "name");
        var errors = Queues.QueueSettingsRules.Check(update).Concat(RetryPolicyRules.CheckQueueDefaults(update)).ToList();
        if (errors.Count > 0)
        {
            throw new OeeValidationException(errors);
        }

        return grains.Reference<IQueueGrain>(name).Configure(update, UntilSent(cancellationToken));
    }

    /// <inheritdoc />
    public Task<SystemStatus> GetSystemStatusAsync(CancellationToken cancellationToken = default) =>
        grains.GetGrain<ISystemGrain>(0).GetStatus(cancellationToken);

    /// <inheritdoc />
    public Task<int> ClearFinishedAsync(TimeSpan? olderThan = null, CancellationToken cancellationToken = default)
    {
        if (olderThan < TimeSpan.Zero)
        {
            throw OeeValidationException.For("olderThan", "OlderThan must not be negative.");
        }

        // Without an age the cut-off is this call's start: a clear under load removes what had finished then, and never
        // chases the tasks that finish while it runs. An age beyond the calendar's start: nothing finished that long ago,
        // so the cut-off is the calendar's start.
        var now = time.GetUtcNow();
        var cutoff = olderThan is { } age ? (age < now - DateTimeOffset.MinValue ? now - age : DateTimeOffset.MinValue) : now;
        return ClearInSteps(cutoff, cancellationToken);
    }

    private async Task<int> ClearInSteps(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        // In steps of ClearStep, each one short grain call, so that clearing a million tasks never
        // runs into a response timeout.
        var removed = 0;
        int step;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            step = await grains.GetGrain<ITaskIndexGrain>(0).ClearFinished(cutoff, ClearStep, cancellationToken);
            removed += step;
        }
        while (step > 0);
        return removed;
    }

    private string NewId() => TaskIds.NewV7(time.GetUtcNow());

    /// <summary>
    /// The token a change (a submit, a cancel, a retry, a queue's or a schedule's settings) is sent with: none. The
    /// caller's token is honoured until then (cancelled before: <see cref="OperationCanceledException"/>, nothing
    /// sent); once sent, the change completes (within Orleans' response timeout) and says what it did. Orleans would
    /// otherwise end the caller's wait at the cancel while the silo carries the change out: a submit reported as
    /// cancelled had created its task (with an id the caller never learnt, when the facade made it).
    /// </summary>
    private static CancellationToken UntilSent(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return CancellationToken.None;
    }

    private static void RequireId(string value, string field)
    {
        if (!TaskLimits.IsIdentifier(value))
        {
            throw OeeValidationException.For(field, $"'{value}' is not a valid {field}: use 1–128 characters of [A-Za-z0-9._:-].");
        }
    }
}
