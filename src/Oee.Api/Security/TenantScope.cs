using System.Security.Claims;
using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Api.Security;

/// <summary>
/// What a tenant-bound API key may reach over REST, in one place: its requests carry its tenant (a body
/// cannot choose it), its listings and event streams are narrowed to its tenant, and another tenant's task
/// answers exactly like a missing one. A key without a tenant is unaffected.
/// </summary>
internal static class TenantScope
{
    /// <summary>
    /// The submit as the caller's: its key id and tenant set. A tenant key's tasks share the tenant's
    /// concurrency key (so that a queue's <c>maxPerKey</c> limits the tenant as a whole): another
    /// <c>concurrencyKey</c> is a field error, named with <paramref name="fieldPrefix"/>.
    /// </summary>
    public static SubmitTaskRequest Own(ClaimsPrincipal user, SubmitTaskRequest request, string fieldPrefix, List<FieldError> errors)
    {
        var tenant = ApiCaller.Tenant(user);
        if (tenant is not null && request.ConcurrencyKey is { } key && !string.Equals(key, tenant, StringComparison.Ordinal))
        {
            errors.Add(new FieldError(
                $"{fieldPrefix}concurrencyKey",
                $"This API key is bound to tenant '{tenant}': its tasks share the concurrency key '{tenant}' (the queue's maxPerKey limits the tenant as a whole). Omit concurrencyKey."));
        }

        return request with { SubmittedBy = ApiCaller.KeyId(user), Tenant = tenant };
    }

    /// <summary>The listing narrowed to a tenant key's tenant; another tenant named in the query finds nothing.</summary>
    public static TaskQuery Narrow(ClaimsPrincipal user, TaskQuery query, out bool nothingVisible)
    {
        nothingVisible = false;
        if (ApiCaller.Tenant(user) is not { } tenant)
        {
            return query;
        }

        nothingVisible = query.Tenant is not null && !string.Equals(query.Tenant, tenant, StringComparison.Ordinal);
        return query with { Tenant = tenant };
    }

    /// <summary>The event filter narrowed to a tenant key's tenant.</summary>
    public static TaskEventFilter Narrow(ClaimsPrincipal user, TaskEventFilter filter) =>
        ApiCaller.Tenant(user) is { } tenant ? filter with { Tenant = tenant } : filter;

    /// <summary>The task when the caller may see it; null (as if missing) when it is another tenant's.</summary>
    public static TaskRecord? Visible(ClaimsPrincipal user, TaskRecord? task) =>
        task is not null && ApiCaller.MaySee(user, task) ? task : null;

    /// <summary>The 404 text of a task id that does not exist, or that the caller may not see: one text for both.</summary>
    public static string NotFound(string id) => new OeeNotFoundException("task", id).Message;

    /// <summary>
    /// The 409 text of a used id: for a tenant key whose conflict is with a task it may not see, only that
    /// the id is taken (ids are global; tenants should prefix theirs), nothing of the task.
    /// </summary>
    public static string Conflict(ClaimsPrincipal user, string id, OeeConflictException conflict) =>
        conflict.Current is { } current && !ApiCaller.MaySee(user, current)
            ? $"The id '{id}' is taken. Task ids are shared by every tenant: submit with another id (prefix your ids with your tenant, e.g. '{ApiCaller.Tenant(user)}-…')."
            : conflict.Message;

    /// <summary>
    /// A batch item as the caller may see it: a conflict with a task it may not see carries no task, and for a tenant
    /// key a full queue is said without how many tasks wait there (<see cref="QueueFull"/>).
    /// </summary>
    public static BatchItemResult Visible(ClaimsPrincipal user, BatchItemResult item)
    {
        if (item.Task is { } task && !ApiCaller.MaySee(user, task))
        {
            item = item with { Task = null, Failure = item.Status == SubmitStatus.Conflict ? $"The id '{item.Id}' is taken: submit with another id." : item.Failure };
        }

        return item.Status == SubmitStatus.QueueFull && ApiCaller.Tenant(user) is not null
            ? item with { Failure = "Its queue is full: submit the task again after its retryAfterSeconds." }
            : item;
    }

    /// <summary>
    /// The 429 text of a full queue: for a tenant key without the queue's <c>maxPending</c> (how many tasks of every
    /// tenant wait there is a cluster-wide figure, which a tenant key may not read); the engine's words otherwise.
    /// </summary>
    public static string QueueFull(ClaimsPrincipal user, OeeQueueFullException full) =>
        ApiCaller.Tenant(user) is null ? full.Message : $"Queue '{full.Queue}' is full: submit the task again after the Retry-After time.";
}
