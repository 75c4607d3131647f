using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// State waits: poll until a condition holds, failing with the last state seen once a deadline
/// passes. The deadlines are many times what the waits take here (a task's whole life is tens of
/// milliseconds; the slowest wait, a thousand tasks on PostgreSQL, a few seconds), so that a
/// machine several times slower still passes: they cost nothing when the condition comes true.
/// </summary>
public static class Waiting
{
    /// <summary>The default deadline for one task to reach a state.</summary>
    public const int TaskSeconds = 60;

    /// <summary>The default deadline for a set of tasks to finish.</summary>
    public const int AllSeconds = 120;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public static Task<TaskRecord> ForTask(this IOrchestrator orchestrator, string id, Func<TaskRecord, bool> condition, int seconds = TaskSeconds) =>
        orchestrator.Poll(id, condition, DateTime.UtcNow.AddSeconds(seconds), seconds);

    public static Task<TaskRecord> ForStatus(this IOrchestrator orchestrator, string id, OeeTaskStatus status, int seconds = TaskSeconds) =>
        orchestrator.ForTask(id, t => t.Status == status, seconds);

    /// <summary>
    /// Waits until every task meets the condition, within one deadline for them all. Polls one task
    /// at a time (all must get there, so the order does not matter): a thousand concurrent pollers
    /// would load the machine more than the tasks they wait for.
    /// </summary>
    public static async Task<TaskRecord[]> ForAll(this IOrchestrator orchestrator, IEnumerable<string> ids, Func<TaskRecord, bool> condition, int seconds = AllSeconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        var records = new List<TaskRecord>();
        foreach (var id in ids)
        {
            records.Add(await orchestrator.Poll(id, condition, deadline, seconds));
        }

        return [.. records];
    }

    public static Task<TaskRecord[]> ForAllFinished(this IOrchestrator orchestrator, IEnumerable<string> ids, int seconds = AllSeconds) =>
        orchestrator.ForAll(ids, t => t.Status.IsFinal(), seconds);

    /// <summary>Waits until the grain has no activation in the cluster (the grain directory knows none), e.g. an idle task's.</summary>
    public static Task ForNoActivation(this IClusterClient client, IAddressable grain, string what) =>
        Until(async () => await client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain) is null, what);

    /// <summary>Polls a condition on anything (a queue's status, what bodies recorded) until it holds.</summary>
    public static async Task Until(Func<Task<bool>> condition, string what, int seconds = TaskSeconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Timed out after {seconds}s waiting for {what}.");
            }

            await Task.Delay(PollInterval);
        }
    }

    public static Task Until(Func<bool> condition, string what, int seconds = TaskSeconds) =>
        Until(() => Task.FromResult(condition()), what, seconds);

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static async Task<TaskRecord> Poll(this IOrchestrator orchestrator, string id, Func<TaskRecord, bool> condition, DateTime deadline, int seconds)
    {
        while (true)
        {
            var last = await orchestrator.GetAsync(id);
            if (last is not null && condition(last))
            {
                return last;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Task {id} did not reach the expected state in {seconds}s; last seen: {last}");
            }

            await Task.Delay(PollInterval);
        }
    }
}
