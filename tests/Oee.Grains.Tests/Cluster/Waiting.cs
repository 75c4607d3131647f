using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>Polls a task until a condition holds, failing with the last state seen.</summary>
public static class Waiting
{
    public static async Task<TaskRecord> ForTask(this IOrchestrator orchestrator, string id, Func<TaskRecord, bool> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        TaskRecord? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await orchestrator.GetAsync(id);
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Task {id} did not reach the expected state in {seconds}s; last seen: {last}");
    }

    public static Task<TaskRecord> ForStatus(this IOrchestrator orchestrator, string id, OeeTaskStatus status, int seconds = 30) =>
        orchestrator.ForTask(id, t => t.Status == status, seconds);

    public static async Task<TaskRecord[]> ForAllFinished(this IOrchestrator orchestrator, IEnumerable<string> ids, int seconds = 60) =>
        await Task.WhenAll(ids.Select(id => orchestrator.ForTask(id, t => t.Status.IsFinal(), seconds)));

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
