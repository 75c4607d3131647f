using System.Globalization;
using System.Text.Json;

namespace Oee.EndToEnd.Tests;

/// <summary>
/// Delayed tasks across a full restart, over real processes on PostgreSQL: every silo stops while
/// tasks are scheduled; after the restart each runs exactly once, never before its time (those that
/// came due while the cluster was down as soon as it is back, the others on time).
/// </summary>
public sealed class DelayedStartRestartTests
{
    private const int Tasks = 40;

    [Fact]
    public async Task Delayed_tasks_run_once_and_never_early_across_a_full_restart()
    {
        await using var deployment = await OeeDeployment.Create();
        deployment.Environment["Logging__Console__FormatterName"] = "json";
        deployment.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff";
        deployment.Environment["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true";
        deployment.Environment["Logging__LogLevel__Oee.Grains.Workers.WorkerGrain"] = "Debug";
        var silos = new List<OeeProcess> { deployment.StartSilo("silo-1"), deployment.StartSilo("silo-2") };
        await deployment.StartApi(expectedSilos: 2);
        try
        {
            await deployment.Put("/api/queues/delayed", """{"maxConcurrency": 64}""");

            // Due 4–43 s from now (whole milliseconds), a second apart: some while the cluster is down, most after.
            var now = DateTimeOffset.UtcNow;
            now = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
            var due = Enumerable.Range(0, Tasks).ToDictionary(i => $"delayed-{i}", i => now.AddSeconds(4 + i));
            string Body(string id) =>
                $$$"""{"id":"{{{id}}}","name":"{{{id}}}","handler":"delay","queue":"delayed","input":{"ms":1},"runAt":"{{{due[id].ToString("O", CultureInfo.InvariantCulture)}}}"}""";
            var batch = await deployment.Post("/api/tasks/batch", $$"""{"tasks":[{{string.Join(",", due.Keys.Select(Body))}}]}""");

            // A task the batch reports failed (on a busy machine its submit can outrun the response
            // timeout) is submitted again with its id, which is always safe; it may already exist.
            foreach (var result in batch.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("status").GetString() != "created"))
            {
                var id = result.GetProperty("id").GetString()!;
                Assert.True(result.GetProperty("status").GetString() == "failed", result.ToString());
                Console.WriteLine($"delayed restart: {id} submitted again after {result}");
                await OeeDeployment.WaitFor(
                    async () =>
                    {
                        try
                        {
                            await deployment.Post("/api/tasks", Body(id));
                            return true;
                        }
                        catch (HttpRequestException)
                        {
                            return false;
                        }
                    },
                    TimeSpan.FromSeconds(120),
                    $"{id} to be submitted");
            }

            // Each is scheduled for its time (or already past it, on a slow machine).
            foreach (var id in due.Keys)
            {
                var task = await deployment.Get($"/api/tasks/{id}");
                var status = task.GetProperty("status").GetString();
                Assert.True(status != "scheduled" || task.GetProperty("nextRunAt").GetDateTimeOffset() == due[id], task.ToString());
            }

            // The whole cluster goes down and comes back.
            await deployment.StopApi();
            await deployment.StopAllSilos();
            silos.Add(deployment.StartSilo("silo-1"));
            silos.Add(deployment.StartSilo("silo-2"));
            await deployment.StartApi(expectedSilos: 2);
            var back = DateTimeOffset.UtcNow;

            var finished = new List<JsonElement>();
            foreach (var id in due.Keys)
            {
                JsonElement last = default;
                await OeeDeployment.WaitFor(
                    async () => (last = await deployment.Get($"/api/tasks/{id}")).GetProperty("status").GetString() == "done",
                    TimeSpan.FromSeconds(180),
                    $"{id} to run");
                finished.Add(last);
            }

            var lateness = finished.Select(t => (
                Id: t.GetProperty("id").GetString()!,
                Late: t.GetProperty("startedAt").GetDateTimeOffset() - due[t.GetProperty("id").GetString()!])).ToList();
            var afterRestart = lateness.Where(l => due[l.Id] > back).Select(l => l.Late.TotalMilliseconds).Order().ToList();
            Console.WriteLine(
                $"delayed restart: {afterRestart.Count} of {Tasks} due after the restart, started late by "
                + (afterRestart.Count == 0 ? "-" : $"{afterRestart[0]:0} ms (min), {afterRestart[afterRestart.Count / 2]:0} ms (median), {afterRestart[^1]:0} ms (max)"));

            Assert.All(lateness, l => Assert.True(l.Late >= TimeSpan.Zero, $"{l.Id} started {-l.Late.TotalMilliseconds:0} ms before it was due."));

            // Each body ran once, over all the silos' lives. (A task that came due while its silo was
            // stopping is handed back without running and runs as its next attempt.)
            var starts = silos.SelectMany(s => File.ReadLines(s.LogPath))
                .Where(l => l.Contains("Body of task", StringComparison.Ordinal) && l.Contains("started", StringComparison.Ordinal))
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("State").GetProperty("TaskId").GetString()!)
                .Where(due.ContainsKey)
                .GroupBy(id => id)
                .ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(due.Keys.Order(), starts.Keys.Order());
            Assert.All(starts, s => Assert.Equal(1, s.Value));
            Assert.Equal(0, (await deployment.Get("/api/queues/delayed")).GetProperty("scheduled").GetInt32());
        }
        catch (Exception ex)
        {
            throw OeeDeployment.Failure(ex, await deployment.Diagnose("delayed"), deployment.Logs());
        }
    }
}
