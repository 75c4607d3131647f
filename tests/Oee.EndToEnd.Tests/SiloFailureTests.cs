using System.Text.Json;

namespace Oee.EndToEnd.Tests;

/// <summary>Real processes, real PostgreSQL: what happens to work when silos die or stop.</summary>
public sealed class SiloFailureTests
{
    private const int TaskCount = 2000;
    private const int HeldCount = 30;
    private const int HeldMs = 86_400_000;

    [Fact]
    public async Task Killing_a_silo_mid_run_loses_no_task_and_runs_its_bodies_again_as_the_next_attempt()
    {
        await using var deployment = await OeeDeployment.Create();
        deployment.StartSilo("silo-a");
        var victim = deployment.StartSilo("silo-b");
        await deployment.StartApi(expectedSilos: 2);
        try
        {
            // Held bodies (the delay handler's longest wait, a day) run until the test cancels them:
            // whatever the machine's speed, those placed on silo-b are running when it is killed.
            await deployment.Put("/api/queues/e2e-held", $$"""{"maxConcurrency": {{HeldCount}}}""");
            var held = new List<string>(HeldCount);
            for (var i = 0; i < HeldCount; i++)
            {
                var task = await deployment.Post("/api/tasks", $$$"""{"name":"held-{{{i}}}","handler":"delay","queue":"e2e-held","input":{"ms":{{{HeldMs}}}}}""");
                held.Add(task.GetProperty("id").GetString()!);
            }

            var heldRunning = await WaitForAll(deployment, held, t => t.GetProperty("status").GetString() == "running", "the held tasks to run");
            var victimAddress = (await deployment.Get("/api/system")).GetProperty("silos").EnumerateArray()
                .Single(s => s.GetProperty("name").GetString() == "silo-b").GetProperty("address").GetString()!;
            var heldOnVictim = heldRunning.Where(t => t.GetProperty("silo").GetString() == victimAddress).Select(t => t.GetProperty("id").GetString()!).ToList();
            Assert.NotEmpty(heldOnVictim);

            await deployment.Put("/api/queues/e2e", """{"maxConcurrency": 200}""");
            var ids = new List<string>(TaskCount);
            await Parallel.ForEachAsync(Enumerable.Range(0, TaskCount), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                var task = await deployment.Post("/api/tasks", $$$"""{"name":"e2e-{{{i}}}","handler":"delay","queue":"e2e","priority":{{{i % 11}}},"input":{"ms":100}}""");
                lock (ids)
                {
                    ids.Add(task.GetProperty("id").GetString()!);
                }
            });

            // Kill silo-b with work running on it, then bring it back.
            await OeeDeployment.WaitFor(async () => Count(await deployment.Get("/api/system"), "done") >= TaskCount / 5, TimeSpan.FromSeconds(240), "a fifth of the tasks to finish");
            victim.Kill();
            await Task.Delay(TimeSpan.FromSeconds(2));
            deployment.StartSilo("silo-b");

            await OeeDeployment.WaitFor(async () => Count(await deployment.Get("/api/system"), "done") == TaskCount, TimeSpan.FromSeconds(240), $"all {TaskCount} tasks to be done");

            var tasks = await Task.WhenAll(ids.Select(id => deployment.Get($"/api/tasks/{id}")));
            Assert.Equal(TaskCount, tasks.Select(t => t.GetProperty("id").GetString()).Distinct().Count());
            Assert.All(tasks, t => Assert.Equal("done", t.GetProperty("status").GetString()));
            Assert.All(tasks, t => Assert.InRange(t.GetProperty("attempt").GetInt32(), 1, 3));
            Assert.Equal(2, tasks.Select(t => t.GetProperty("silo").GetString()).Select(SiloPort).Distinct().Count());

            // The held bodies lost with silo-b run again elsewhere as attempt 2, exactly: a recovered task
            // whose activation Orleans deactivates before its body began (as silo-b rejoins) goes back to
            // its queue uncounted (DeactivationBeforeBodyTests). Those of silo-a run on where they are (when
            // their grain-directory entry was lost with silo-b and Orleans deactivates their activation, the
            // body is detached and reports to the next one), or, should one be drained and handed back
            // after all, run again as attempt 2.
            var again = await WaitForAll(deployment, heldOnVictim, t => t.GetProperty("status").GetString() == "running" && t.GetProperty("attempt").GetInt32() == 2, "the held tasks of silo-b to run again");
            Assert.All(again, t => Assert.NotEqual(victimAddress, t.GetProperty("silo").GetString()));
            var onSurvivor = heldRunning.Where(t => !heldOnVictim.Contains(t.GetProperty("id").GetString()!)).ToDictionary(t => t.GetProperty("id").GetString()!, t => t.GetProperty("silo").GetString());
            var others = await WaitForAll(deployment, onSurvivor.Keys, t => t.GetProperty("status").GetString() == "running", "the other held tasks to run");
            Assert.All(others, t =>
            {
                var attempt = t.GetProperty("attempt").GetInt32();
                Assert.InRange(attempt, 1, 2);
                if (attempt == 1)
                {
                    Assert.Equal(onSurvivor[t.GetProperty("id").GetString()!], t.GetProperty("silo").GetString());
                }
            });

            // A held task of silo-a whose activation Orleans deactivated (its directory entry was on
            // silo-b) can be between its hand-back and its next attempt, queued, when the cancel comes:
            // then it is cancelled at once (200); a running one is told to stop (202).
            foreach (var id in held)
            {
                var cancel = await deployment.Http.PostAsync($"/api/tasks/{id}/cancel", null);
                var body = System.Text.Json.JsonDocument.Parse(await cancel.Content.ReadAsStringAsync()).RootElement;
                var expected = cancel.StatusCode == System.Net.HttpStatusCode.OK
                    ? ("cancelled", false)
                    : ("running", true);
                Assert.Contains(cancel.StatusCode, new[] { System.Net.HttpStatusCode.Accepted, System.Net.HttpStatusCode.OK });
                Assert.Equal(expected, (body.GetProperty("status").GetString(), body.GetProperty("cancelRequested").GetBoolean()));
            }

            await WaitForAll(deployment, held, t => t.GetProperty("status").GetString() == "cancelled", "the held tasks to be cancelled");

            var system = await deployment.Get("/api/system");
            Assert.Equal(TaskCount, Count(system, "done"));
            Assert.Equal(HeldCount, Count(system, "cancelled"));
            Assert.Equal(0, Count(system, "queued") + Count(system, "running") + Count(system, "error"));
            var queue = await deployment.Get("/api/queues/e2e");
            Assert.Equal(0, queue.GetProperty("pending").GetInt32());
            Assert.Equal(0, queue.GetProperty("running").GetInt32());
        }
        catch (Exception ex)
        {
            throw OeeDeployment.Failure(ex, await deployment.Diagnose("e2e"), deployment.Logs());
        }
    }

    [Fact]
    public async Task After_every_silo_stops_a_backlog_resumes_in_the_same_order_and_new_tasks_come_after()
    {
        await using var deployment = await OeeDeployment.Create();
        deployment.StartSilo("silo-a");
        deployment.StartSilo("silo-b");
        await deployment.StartApi(expectedSilos: 2);
        try
        {
            await deployment.Put("/api/queues/backlog", """{"paused": true, "maxConcurrency": 1}""");
            var random = new Random(11);
            var before = new List<(string Id, int Priority, long Sequence)>();
            for (var i = 0; i < 30; i++)
            {
                var task = await deployment.Post("/api/tasks", $$$"""{"name":"b{{{i}}}","handler":"delay","queue":"backlog","priority":{{{random.Next(0, 11)}}},"input":{"ms":5}}""");
                before.Add((task.GetProperty("id").GetString()!, task.GetProperty("priority").GetInt32(), task.GetProperty("sequence").GetInt64()));
            }

            // Every silo goes down; the API goes with them (its gateways are gone).
            await deployment.StopApi();
            await deployment.StopAllSilos();
            deployment.StartSilo("silo-a");
            deployment.StartSilo("silo-b");
            await deployment.StartApi(expectedSilos: 2);

            var held = await deployment.Get("/api/queues/backlog");
            Assert.Equal(30, held.GetProperty("pending").GetInt32());
            Assert.True(held.GetProperty("paused").GetBoolean());

            var newcomer = await deployment.Post("/api/tasks", """{"name":"after","handler":"delay","queue":"backlog","priority":0,"input":{"ms":5}}""");
            Assert.True(newcomer.GetProperty("sequence").GetInt64() > before.Max(b => b.Sequence));

            await deployment.Put("/api/queues/backlog", """{"paused": false}""");
            var all = before.Select(b => b.Id).Append(newcomer.GetProperty("id").GetString()!).ToList();
            await OeeDeployment.WaitFor(async () => (await deployment.Get("/api/queues/backlog")).GetProperty("finished").GetInt64() == all.Count, TimeSpan.FromSeconds(120), "the backlog to drain");

            var tasks = await Task.WhenAll(all.Select(id => deployment.Get($"/api/tasks/{id}")));
            var startOrder = tasks.OrderBy(t => t.GetProperty("startedAt").GetDateTimeOffset()).Select(t => t.GetProperty("id").GetString()!).ToList();
            var expected = before.OrderByDescending(b => b.Priority).ThenBy(b => b.Sequence).Select(b => b.Id).Append(all[^1]).ToList();
            Assert.Equal(expected, startOrder);
        }
        catch (Exception ex)
        {
            throw OeeDeployment.Failure(ex, deployment.Logs());
        }
    }

    /// <summary>Polls the tasks one at a time until each meets the condition; returns their last reads.</summary>
    private static async Task<JsonElement[]> WaitForAll(OeeDeployment deployment, IEnumerable<string> ids, Func<JsonElement, bool> condition, string what)
    {
        var tasks = new List<JsonElement>();
        foreach (var id in ids)
        {
            JsonElement last = default;
            await OeeDeployment.WaitFor(async () => condition(last = await deployment.Get($"/api/tasks/{id}")), TimeSpan.FromSeconds(120), $"{what} ({id})");
            tasks.Add(last);
        }

        return [.. tasks];
    }

    private static long Count(JsonElement system, string status) => system.GetProperty("taskCounts").GetProperty(status).GetInt64();

    private static string SiloPort(string? address) => address?.Split('@')[0] ?? "";
}
