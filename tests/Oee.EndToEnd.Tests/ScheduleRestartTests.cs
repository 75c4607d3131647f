using System.Globalization;
using System.Text.Json;

namespace Oee.EndToEnd.Tests;

/// <summary>
/// Schedules firing every second across a full restart of the cluster (every silo stopped, then
/// started), over real processes on PostgreSQL: every occurrence is either run exactly once (its task
/// id is the occurrence, and the task ran one attempt) or skipped and counted, as each schedule's
/// missed-run policy says.
/// </summary>
public sealed class ScheduleRestartTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // An occurrence handled more than this late is missed; the cluster stays down for longer.
    private static readonly TimeSpan MisfireThreshold = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Downtime = TimeSpan.FromSeconds(7);

    [Fact]
    public async Task Schedules_across_a_full_restart_run_each_occurrence_at_most_once_and_handle_missed_ones_per_their_policy()
    {
        await using var deployment = await OeeDeployment.Create();
        deployment.Environment["Oee__Schedules__MisfireThreshold"] = MisfireThreshold.ToString("c", CultureInfo.InvariantCulture);
        deployment.StartSilo("silo-a");
        deployment.StartSilo("silo-b");
        await deployment.StartApi(expectedSilos: 2);
        var policies = new Dictionary<string, string> { ["e2e-skip"] = "skip", ["e2e-once"] = "runOnce", ["e2e-all"] = "runAll" };
        try
        {
            foreach (var (name, policy) in policies)
            {
                await deployment.Put($"/api/schedules/{name}", $$$"""{"cron":"* * * * * *","missedRuns":"{{{policy}}}","maxMissedRuns":100,"task":{"name":"{{{name}}}","handler":"echo","input":1}}""");
            }

            foreach (var name in policies.Keys)
            {
                await OeeDeployment.WaitFor(async () => (await deployment.Get($"/api/schedules/{name}")).GetProperty("runs").GetArrayLength() >= 3, TimeSpan.FromSeconds(120), $"{name} to run three times");
            }

            // Every silo goes down (the API with them) and stays down well past the misfire threshold.
            await deployment.StopApi();
            await deployment.StopAllSilos();
            await Task.Delay(Downtime);
            deployment.StartSilo("silo-a");
            deployment.StartSilo("silo-b");
            await deployment.StartApi(expectedSilos: 2);
            var up = DateTimeOffset.UtcNow;
            foreach (var name in policies.Keys)
            {
                await OeeDeployment.WaitFor(async () => (await deployment.Get($"/api/schedules/{name}")).GetProperty("handledThrough").GetDateTimeOffset() >= up.AddSeconds(2), TimeSpan.FromSeconds(120), $"{name} to run again after the restart");
            }

            foreach (var (name, policy) in policies)
            {
                var schedule = await Pause(deployment, name);
                var (ran, missing) = await Occurrences(deployment, name, schedule);
                var skipped = schedule.GetProperty("missedSkipped").GetInt64();
                var caughtUp = schedule.GetProperty("caughtUp").GetInt64();
                var detail = $"{name}: {ran} ran, {missing.Count} without a task ({string.Join(", ", missing.Select(m => m.ToString("HH:mm:ss", CultureInfo.InvariantCulture)))}), missedSkipped {skipped}, caughtUp {caughtUp}";

                output.WriteLine(detail);

                // Every occurrence is accounted for exactly once: run (one task, one attempt) or skipped.
                Assert.True(missing.Count == skipped, detail);
                switch (policy)
                {
                    case "skip":
                        Assert.True(caughtUp == 0 && skipped >= 2, detail);
                        break;
                    case "runOnce":
                        Assert.True(caughtUp >= 1 && skipped >= 1, detail);
                        break;
                    default:
                        Assert.True(caughtUp >= 3 && skipped == 0, detail);
                        break;
                }
            }
        }
        catch (Exception ex)
        {
            throw OeeDeployment.Failure(ex, deployment.Logs());
        }
    }

    private static async Task<JsonElement> Pause(OeeDeployment deployment, string name) =>
        await deployment.Post($"/api/schedules/{name}/pause", "{}");

    /// <summary>Checks every second from the schedule's first occurrence to the last it handled: its task ran once, or it has none.</summary>
    private static async Task<(int Ran, List<DateTimeOffset> Missing)> Occurrences(OeeDeployment deployment, string name, JsonElement schedule)
    {
        var created = schedule.GetProperty("createdAt").GetDateTimeOffset().ToUniversalTime();
        var first = new DateTimeOffset(created.Ticks - (created.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddSeconds(1);
        var last = schedule.GetProperty("handledThrough").GetDateTimeOffset().ToUniversalTime();
        var ran = 0;
        var missing = new List<DateTimeOffset>();
        for (var occurrence = first; occurrence <= last; occurrence = occurrence.AddSeconds(1))
        {
            var id = $"schedule:{name}:{occurrence:yyyyMMdd'T'HHmmss'Z'}";
            using var response = await deployment.Http.GetAsync($"/api/tasks/{Uri.EscapeDataString(id)}");
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                missing.Add(occurrence);
                continue;
            }

            var task = await deployment.Get($"/api/tasks/{Uri.EscapeDataString(id)}");
            await OeeDeployment.WaitFor(async () => (task = await deployment.Get($"/api/tasks/{Uri.EscapeDataString(id)}")).GetProperty("status").GetString() == "done", TimeSpan.FromSeconds(60), $"task {id} to finish");
            Assert.Equal(1, task.GetProperty("attempt").GetInt32());
            ran++;
        }

        return (ran, missing);
    }
}
