using System.Globalization;
using System.Net;
using System.Text.Json;
using Oee.Tests.Shared;
using Xunit.Abstractions;

namespace Oee.EndToEnd.Tests;

/// <summary>
/// Real silo and API processes on a PostgreSQL server of the test's own: each silo's <c>/metrics</c>
/// after a known workload, and the health endpoints of silos and API with the database stopped, a silo
/// stopped, and every silo stopped.
/// </summary>
public sealed class ObservabilityTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Silo_metrics_count_the_workload_and_health_follows_database_and_silo_outages()
    {
        await using var postgres = await OwnPostgresServer.Start();
        await using var deployment = await OeeDeployment.Create(postgres.ConnectionString);
        deployment.Environment["Oee__Silo__HealthCheckTimeout"] = "00:00:02";
        deployment.Environment["Oee__Api__HealthCheckTimeout"] = "00:00:02";
        var httpA = LoopbackPorts.Next();
        var httpB = LoopbackPorts.Next();
        deployment.StartSilo("silo-a", "--Oee:Silo:HttpPort", httpA.ToString(CultureInfo.InvariantCulture));
        deployment.StartSilo("silo-b", "--Oee:Silo:HttpPort", httpB.ToString(CultureInfo.InvariantCulture));
        using var siloA = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpA}"), Timeout = TimeSpan.FromSeconds(30) };
        using var siloB = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpB}"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await deployment.StartApi(expectedSilos: 2);
            await WaitForStatus(siloA, "/health/ready", HttpStatusCode.OK);
            await WaitForStatus(siloB, "/health/ready", HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.OK, (await siloA.GetAsync("/health/live")).StatusCode);

            // The API is ready once its start-up warm-up (Oee:Api:WarmUp) is done: 503 until then.
            await WaitForStatus(deployment.Http, "/health/ready", HttpStatusCode.OK);

            // A known workload over REST: 6 done, 2 failed; bodies spread over both silos.
            var queue = $"e2e-metrics-{Guid.NewGuid():N}";
            var q = $"queue={queue}";
            var ids = new List<string>();
            for (var i = 0; i < 8; i++)
            {
                var body = i < 6
                    ? $$"""{"name":"ok","handler":"echo","queue":"{{queue}}","input":{{i}}}"""
                    : $$$"""{"name":"bad","handler":"fail","queue":"{{{queue}}}","input":{"message":"no"}}""";
                ids.Add((await deployment.Post("/api/tasks", body)).GetProperty("id").GetString()!);
            }

            await OeeDeployment.WaitFor(
                async () =>
                {
                    foreach (var id in ids)
                    {
                        if ((await deployment.Get($"/api/tasks/{id}")).GetProperty("status").GetString() is not ("done" or "error"))
                        {
                            return false;
                        }
                    }

                    return true;
                },
                Deadline,
                "the workload to finish");

            // Each silo reports what it did; together they count the workload exactly.
            var both = await WaitForMetrics([siloA, siloB], m => m.Sum(s => s.Sum("oee_tasks_done_total", q)) == 6 && m.Sum(s => s.Sum("oee_queue_running", q)) == 0);
            double Total(string name, params string[] labels) => both.Sum(m => m.Sum(name, [q, .. labels]));
            Assert.Equal(8, Total("oee_tasks_submitted_total"));
            Assert.Equal(8, Total("oee_tasks_started_total"));
            Assert.Equal(6, Total("oee_tasks_done_total"));
            Assert.Equal(2, Total("oee_tasks_failed_total"));
            Assert.Equal(0, Total("oee_tasks_cancelled_total"));
            Assert.Equal(8, Total("oee_task_wait_duration_seconds_count"));
            Assert.Equal(8, Total("oee_task_run_duration_seconds_count"));
            Assert.Equal(2, Total("oee_task_run_duration_seconds_count", "outcome=error"));
            Assert.All(both, m => Assert.True(m.Has("orleans_catalog_activations"), "Orleans' meter is missing from a silo's /metrics"));
            Assert.All(both, m => Assert.True(
                m.Has("dotnet_gc_collections_total") && m.Has("dotnet_process_memory_working_set_bytes") && m.Has("dotnet_thread_pool_queue_length_total"),
                ".NET's runtime meter is missing from a silo's /metrics"));
            Assert.All(both, m =>
            {
                // One silo per process: its four slot and dispatch gauges under its address, 100 slots (the default).
                var total = Assert.Single(m.Samples, s => s.Name == "oee_worker_slots_total");
                Assert.Equal(100, total.Value);
                var silo = $"silo={total.Labels["silo"]}";
                Assert.True(
                    m.Has("oee_worker_slots_busy", silo) && m.Has("oee_worker_slots_waiting", silo) && m.Has("oee_dispatch_units", silo),
                    "a silo's slot or dispatch gauges are missing from its /metrics");
            });
            var silosThatRan = (await Task.WhenAll(ids.Select(id => deployment.Get($"/api/tasks/{id}")))).Select(t => t.GetProperty("silo").GetString()).Distinct().Count();
            output.WriteLine($"bodies ran on {silosThatRan} silo(s); per silo done: {string.Join(", ", both.Select(m => m.Sum("oee_tasks_done_total", q)))}");
            Assert.Equal(HttpStatusCode.OK, (await deployment.Http.GetAsync("/metrics")).StatusCode);

            // The database stopped: silos are live but not ready, and say why; back when it is back.
            await postgres.Stop();
            var unready = await WaitForStatus(siloA, "/health/ready", HttpStatusCode.ServiceUnavailable);
            Assert.Contains("database: Unhealthy", unready, StringComparison.Ordinal);
            Assert.Contains("silo: Healthy", unready, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await siloA.GetAsync("/health/live")).StatusCode);
            await postgres.StartAgain();
            await WaitForStatus(siloA, "/health/ready", HttpStatusCode.OK);
            await WaitForStatus(siloB, "/health/ready", HttpStatusCode.OK);

            // One silo stopped: its endpoint is gone, the other silo and the API stay ready.
            var stopped = deployment.Silo("silo-b");
            await stopped.Terminate(OeeProcess.StopLimit);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => siloB.GetAsync("/health/live"));
            Assert.Equal(HttpStatusCode.OK, (await siloA.GetAsync("/health/ready")).StatusCode);
            await WaitForStatus(deployment.Http, "/health/ready", HttpStatusCode.OK);

            // Every silo stopped: the API is live but not ready.
            await deployment.StopAllSilos();
            await WaitForStatus(deployment.Http, "/health/ready", HttpStatusCode.ServiceUnavailable);
            Assert.Equal(HttpStatusCode.OK, (await deployment.Http.GetAsync("/health/live")).StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await deployment.Http.GetAsync("/health")).StatusCode);
        }
        catch (Exception ex)
        {
            try
            {
                await postgres.StartAgain();
            }
            catch (Exception restart)
            {
                output.WriteLine($"PostgreSQL did not start again: {restart.Message}");
            }

            throw OeeDeployment.Failure(ex, deployment.Logs());
        }
    }

    private static async Task<string> WaitForStatus(HttpClient http, string path, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + Deadline;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(path);
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == expected)
                {
                    return await response.Content.ReadAsStringAsync();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.Message;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{http.BaseAddress}{path} did not answer {(int)expected} within {Deadline}; last: {last}");
    }

    private static async Task<PrometheusText[]> WaitForMetrics(HttpClient[] silos, Func<PrometheusText[], bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var scrapes = await Task.WhenAll(silos.Select(async s => PrometheusText.Parse(await s.GetStringAsync("/metrics"))));
            if (condition(scrapes))
            {
                return scrapes;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The silos' /metrics did not reach the expected state:\n" + string.Join("\n---\n", scrapes.Select(m => string.Join('\n', m.Samples.Where(x => x.Name.StartsWith("oee_tasks", StringComparison.Ordinal)).Select(x => $"{x.Name} {JsonSerializer.Serialize(x.Labels)} {x.Value}")))));
            }

            await Task.Delay(250);
        }
    }
}
