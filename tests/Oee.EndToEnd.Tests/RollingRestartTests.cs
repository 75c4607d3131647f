using System.Collections.Concurrent;
using System.Text.Json;

namespace Oee.EndToEnd.Tests;

/// <summary>
/// A graceful rolling restart of every silo under load, over real processes on PostgreSQL: bodies
/// shorter than the drain time finish where they run (attempt 1, none lost); bodies longer than it
/// are handed back and run again, never two attempts of one task at once.
/// </summary>
public sealed class RollingRestartTests
{
    // The deployment's drain time is 5 s (OeeDeployment): 300 ms bodies end well within it, 9 s ones never do.
    private const int ShortBodyMs = 300;
    private const int LongBodyMs = 9000;

    [Fact]
    public async Task A_rolling_restart_reruns_only_bodies_longer_than_the_drain_time_and_never_two_attempts_at_once()
    {
        await using var deployment = await OeeDeployment.Create();

        // Structured logs, with every body's start and end (Debug of the worker), to see the attempts.
        deployment.Environment["Logging__Console__FormatterName"] = "json";
        deployment.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ";
        deployment.Environment["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true";
        deployment.Environment["Logging__LogLevel__Oee.Grains.Workers.WorkerGrain"] = "Debug";
        deployment.Environment["Logging__LogLevel__Oee.Grains.Tasks.TaskGrain"] = "Information";
        var processes = new List<OeeProcess> { deployment.StartSilo("silo-1"), deployment.StartSilo("silo-2") };
        await deployment.StartApi(expectedSilos: 2);
        try
        {
            await deployment.Put("/api/queues/short", """{"maxConcurrency": 64}""");
            await deployment.Put("/api/queues/long", """{"maxConcurrency": 8}""");

            using var stopLoad = new CancellationTokenSource();
            var submitted = new ConcurrentDictionary<string, bool>();
            var load = Task.WhenAll(
                Enumerable.Range(0, 6).Select(w => Submit(deployment, submitted, "short", ShortBodyMs, w, TimeSpan.FromMilliseconds(50), stopLoad.Token))
                    .Append(Submit(deployment, submitted, "long", LongBodyMs, 99, TimeSpan.FromMilliseconds(700), stopLoad.Token)));

            foreach (var name in new[] { "silo-2", "silo-1" })
            {
                // Stop a silo while bodies of both kinds run on it, start it again, wait until both silos serve.
                await OeeDeployment.WaitFor(async () => await RunsBothKinds(deployment, name), TimeSpan.FromSeconds(120), $"short and long bodies running on {name}");
                var stopping = processes.Last(p => p.Name == name);
                await stopping.Terminate(OeeProcess.StopLimit);
                await stopping.DisposeAsync();
                processes.Add(deployment.StartSilo(name));
                await OeeDeployment.WaitFor(async () => (await ActiveSilos(deployment)) == 2, TimeSpan.FromSeconds(120), $"{name} to serve again");
            }

            await stopLoad.CancelAsync();
            await load;
            await OeeDeployment.WaitFor(
                async () =>
                {
                    var counts = (await deployment.Get("/api/system")).GetProperty("taskCounts");
                    if (counts.GetProperty("error").GetInt64() + counts.GetProperty("cancelled").GetInt64() > 0)
                    {
                        // No task may end otherwise than done: say which and why at once, not after the wait.
                        var ended = await deployment.Get("/api/tasks?status=error&limit=10");
                        throw new InvalidOperationException($"Tasks ended in error or cancelled: {ended.GetProperty("items")}");
                    }

                    return counts.GetProperty("done").GetInt64() >= submitted.Count;
                },
                TimeSpan.FromSeconds(300),
                $"all {submitted.Count} tasks to finish");

            var tasks = await Task.WhenAll(submitted.Keys.Select(id => deployment.Get($"/api/tasks/{id}")));
            var shortTasks = tasks.Where(t => t.GetProperty("queue").GetString() == "short").ToList();
            var longTasks = tasks.Where(t => t.GetProperty("queue").GetString() == "long").ToList();
            Console.WriteLine($"rolling restart: {shortTasks.Count} short tasks ({Histogram(shortTasks)}), {longTasks.Count} long ({Histogram(longTasks)})");
            Assert.All(tasks, t => Assert.Equal("done", t.GetProperty("status").GetString()));
            Assert.All(shortTasks, t => Assert.Equal(1, t.GetProperty("attempt").GetInt32()));
            Assert.Contains(longTasks, t => t.GetProperty("attempt").GetInt32() > 1);

            // From the silos' logs: attempts of one task never overlap, and a body runs once per attempt.
            var bodies = BodyRuns(processes);
            foreach (var task in tasks)
            {
                var id = task.GetProperty("id").GetString()!;
                var runs = bodies.Where(b => b.TaskId == id).OrderBy(b => b.Attempt).ToList();
                Assert.Equal(Enumerable.Range(1, task.GetProperty("attempt").GetInt32()), runs.Select(r => r.Attempt));
                for (var i = 1; i < runs.Count; i++)
                {
                    Assert.True(runs[i - 1].Ended <= runs[i].Started, $"Task {id}: attempt {runs[i].Attempt} started at {runs[i].Started:O} while attempt {runs[i - 1].Attempt} ran until {runs[i - 1].Ended:O}.");
                }
            }

            // Only long bodies were handed back; no attempt was lost or had to be abandoned.
            var events = processes.SelectMany(p => File.ReadLines(p.LogPath)).ToList();
            Assert.DoesNotContain(events, e => e.Contains("could not be carried through", StringComparison.Ordinal) || e.Contains("was lost with silo", StringComparison.Ordinal));
            Assert.DoesNotContain(events, e => e.Contains("\"Category\":\"Oee.", StringComparison.Ordinal) && (e.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || e.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)));
        }
        catch (Exception ex)
        {
            throw OeeDeployment.Failure(ex, await deployment.Diagnose("short"), deployment.Logs());
        }
    }

    private static async Task Submit(OeeDeployment deployment, ConcurrentDictionary<string, bool> submitted, string queue, int ms, int worker, TimeSpan pause, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            // A client-chosen id makes a retried submit idempotent: a submit that failed while a silo stopped is repeated.
            var id = $"{queue}-{worker}-{i}";
            var json = $$$"""{"id":"{{{id}}}","name":"{{{id}}}","handler":"delay","queue":"{{{queue}}}","maxAttempts":10,"input":{"ms":{{{ms}}}}}""";
            while (true)
            {
                try
                {
                    await deployment.Post("/api/tasks", json);
                    submitted[id] = true;
                    break;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    await Task.Delay(200, CancellationToken.None);
                }
            }

            try
            {
                await Task.Delay(pause, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<bool> RunsBothKinds(OeeDeployment deployment, string silo)
    {
        var system = await deployment.Get("/api/system");
        var addresses = system.GetProperty("silos").EnumerateArray()
            .Where(s => s.GetProperty("name").GetString() == silo)
            .Select(s => s.GetProperty("address").GetString())
            .ToHashSet();
        var running = await deployment.Get("/api/tasks?status=running&limit=500");
        var onSilo = running.GetProperty("items").EnumerateArray().Where(t => addresses.Contains(t.GetProperty("silo").GetString())).ToList();
        return onSilo.Any(t => t.GetProperty("queue").GetString() == "short") && onSilo.Any(t => t.GetProperty("queue").GetString() == "long");
    }

    private static async Task<int> ActiveSilos(OeeDeployment deployment)
    {
        var system = await deployment.Get("/api/system");
        return system.GetProperty("silos").EnumerateArray().Count(s => s.GetProperty("status").GetString() == "active");
    }

    private static List<BodyRun> BodyRuns(IEnumerable<OeeProcess> silos)
    {
        var started = new Dictionary<(string, int), DateTimeOffset>();
        var runs = new List<BodyRun>();
        foreach (var line in silos.SelectMany(s => File.ReadLines(s.LogPath)).Where(l => l.StartsWith('{') && l.Contains("Body of task", StringComparison.Ordinal)))
        {
            using var entry = JsonDocument.Parse(line);
            var state = entry.RootElement.GetProperty("State");
            var attempt = state.GetProperty("Attempt");
            var key = (state.GetProperty("TaskId").GetString()!, attempt.ValueKind == JsonValueKind.Number ? attempt.GetInt32() : int.Parse(attempt.GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            var at = entry.RootElement.GetProperty("Timestamp").GetDateTimeOffset();
            if (state.TryGetProperty("Outcome", out _))
            {
                runs.Add(new BodyRun(key.Item1, key.Item2, started.GetValueOrDefault(key, DateTimeOffset.MaxValue), at));
            }
            else
            {
                Assert.False(started.ContainsKey(key), $"Task {key.Item1} attempt {key.Item2} started twice.");
                started[key] = at;
            }
        }

        return runs;
    }

    private static string Histogram(IEnumerable<JsonElement> tasks) =>
        string.Join(", ", tasks.GroupBy(t => t.GetProperty("attempt").GetInt32()).OrderBy(g => g.Key).Select(g => $"attempt {g.Key}: {g.Count()}"));

    private sealed record BodyRun(string TaskId, int Attempt, DateTimeOffset Started, DateTimeOffset Ended);
}
