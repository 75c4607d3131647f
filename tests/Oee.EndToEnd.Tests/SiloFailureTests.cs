using System.Text.Json;

namespace Oee.EndToEnd.Tests;

/// <summary>Real processes, real PostgreSQL: what happens to work when silos die or stop.</summary>
public sealed class SiloFailureTests
{
    private const int TaskCount = 2000;

    [Fact]
    public async Task Killing_a_silo_mid_run_loses_no_task_and_every_task_ends_done_once()
    {
        await using var deployment = await OeeDeployment.Create();
        deployment.StartSilo("silo-a");
        var victim = deployment.StartSilo("silo-b");
        await deployment.StartApi(expectedSilos: 2);
        try
        {
            // Held while submitting, so that the kill below lands while bodies run however long
            // the submits take on this machine: the drain takes 2000 / 200 × 1 s at least.
            await deployment.Put("/api/queues/e2e", """{"maxConcurrency": 200, "paused": true}""");
            var ids = new List<string>(TaskCount);
            await Parallel.ForEachAsync(Enumerable.Range(0, TaskCount), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                var task = await deployment.Post("/api/tasks", $$$"""{"name":"e2e-{{{i}}}","handler":"delay","queue":"e2e","priority":{{{i % 11}}},"input":{"ms":1000}}""");
                lock (ids)
                {
                    ids.Add(task.GetProperty("id").GetString()!);
                }
            });

            // Kill silo-b with work running on it, then bring it back.
            await deployment.Put("/api/queues/e2e", """{"paused": false}""");
            await OeeDeployment.WaitFor(
                async () =>
                {
                    var system = await deployment.Get("/api/system");
                    return Count(system, "done") >= TaskCount / 5 && Busy(system, "silo-b") > 0;
                },
                TimeSpan.FromSeconds(120),
                "a fifth of the tasks to finish, with bodies running on silo-b");
            victim.Kill();
            await Task.Delay(TimeSpan.FromSeconds(2));
            deployment.StartSilo("silo-b");

            await OeeDeployment.WaitFor(async () => Count(await deployment.Get("/api/system"), "done") == TaskCount, TimeSpan.FromSeconds(240), $"all {TaskCount} tasks to be done");

            var tasks = await Task.WhenAll(ids.Select(id => deployment.Get($"/api/tasks/{id}")));
            Assert.Equal(TaskCount, tasks.Select(t => t.GetProperty("id").GetString()).Distinct().Count());
            Assert.All(tasks, t => Assert.Equal("done", t.GetProperty("status").GetString()));
            Assert.All(tasks, t => Assert.InRange(t.GetProperty("attempt").GetInt32(), 1, 3));
            Assert.Contains(tasks, t => t.GetProperty("attempt").GetInt32() > 1);
            Assert.Equal(2, tasks.Select(t => t.GetProperty("silo").GetString()).Select(SiloPort).Distinct().Count());

            var system = await deployment.Get("/api/system");
            Assert.Equal(TaskCount, Count(system, "done"));
            Assert.Equal(0, Count(system, "queued") + Count(system, "running") + Count(system, "error"));
            var queue = await deployment.Get("/api/queues/e2e");
            Assert.Equal(0, queue.GetProperty("pending").GetInt32());
            Assert.Equal(0, queue.GetProperty("running").GetInt32());
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex}\n\n{await deployment.Diagnose("e2e")}\n\n{deployment.Logs()}");
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
            await OeeDeployment.WaitFor(async () => (await deployment.Get("/api/queues/backlog")).GetProperty("finished").GetInt64() == all.Count, TimeSpan.FromSeconds(60), "the backlog to drain");

            var tasks = await Task.WhenAll(all.Select(id => deployment.Get($"/api/tasks/{id}")));
            var startOrder = tasks.OrderBy(t => t.GetProperty("startedAt").GetDateTimeOffset()).Select(t => t.GetProperty("id").GetString()!).ToList();
            var expected = before.OrderByDescending(b => b.Priority).ThenBy(b => b.Sequence).Select(b => b.Id).Append(all[^1]).ToList();
            Assert.Equal(expected, startOrder);
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex}\n\n{deployment.Logs()}");
        }
    }

    private static long Count(JsonElement system, string status) => system.GetProperty("taskCounts").GetProperty(status).GetInt64();

    private static int Busy(JsonElement system, string silo) =>
        system.GetProperty("silos").EnumerateArray().Where(s => s.GetProperty("name").GetString() == silo).Sum(s => s.GetProperty("workerSlotsBusy").GetInt32());

    private static string SiloPort(string? address) => address?.Split('@')[0] ?? "";
}
