using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Oee.Tests.Shared;

namespace Oee.Api.Tests.Hosting;

/// <summary><c>/metrics</c> after a known workload, and the health endpoints, on the API with its embedded silo.</summary>
[Collection(ApiCollection.Name)]
public sealed class OeeApiObservabilityTests(ApiFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Metrics_count_a_known_workload_by_queue_exactly()
    {
        var queue = $"metrics-{Guid.NewGuid():N}";
        var q = $"queue={queue}";

        // Paused: two tasks wait (the pending gauge shows them), then are cancelled before any start.
        await Http.PutJson($"/api/queues/{queue}", """{"paused":true,"maxConcurrency":4}""");
        var cancelled = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            cancelled.Add(await Submit(queue, """{"name":"c","handler":"delay","input":{"ms":60000}}"""));
        }

        await WaitForMetrics(m => m.Sum("oee_queue_pending", q) == 2 && m.Sum("oee_queue_running", q) == 0);
        foreach (var id in cancelled)
        {
            Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync($"/api/tasks/{id}/cancel", null)).StatusCode);
        }

        await Http.PutJson($"/api/queues/{queue}", """{"paused":false}""");

        // Five done, three failed at once, one failed twice under a retry policy (one backoff retry, then error).
        var ids = new List<string>(cancelled);
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Submit(queue, $$"""{"name":"ok","handler":"echo","input":{{i}}}"""));
        }

        for (var i = 0; i < 3; i++)
        {
            ids.Add(await Submit(queue, """{"name":"bad","handler":"fail","input":{"message":"no"}}"""));
        }

        ids.Add(await Submit(queue, """{"name":"again","handler":"fail","input":{"message":"no"},"maxAttempts":2,"retry":{"retryOn":"all","initialDelay":"PT0S","jitter":0}}"""));
        await WaitFor(async () =>
        {
            foreach (var id in ids)
            {
                var status = (await Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{id}")).GetProperty("status").GetString();
                if (status is not ("done" or "error" or "cancelled"))
                {
                    return false;
                }
            }

            return true;
        });

        var metrics = await WaitForMetrics(m => m.Sum("oee_tasks_done_total", q) == 5 && m.Sum("oee_queue_running", q) == 0);
        Assert.Equal(11, metrics.Sum("oee_tasks_submitted_total", q));
        Assert.Equal(10, metrics.Sum("oee_tasks_started_total", q));
        Assert.Equal(5, metrics.Sum("oee_tasks_done_total", q));
        Assert.Equal(4, metrics.Sum("oee_tasks_failed_total", q));
        Assert.Equal(2, metrics.Sum("oee_tasks_cancelled_total", q));
        Assert.Equal(1, metrics.Sum("oee_tasks_retried_total", q, "kind=backoff"));
        Assert.Equal(0, metrics.Sum("oee_tasks_retried_total", q, "kind=manual"));
        Assert.Equal(0, metrics.Sum("oee_attempts_lost_total", q));
        Assert.Equal(0, metrics.Sum("oee_queue_pending", q));
        Assert.Equal(0, metrics.Sum("oee_queue_scheduled", q));

        // One wait sample per dispatch, one run sample per attempt, by outcome; every sample in the +Inf bucket.
        Assert.Equal(10, metrics.Sum("oee_task_wait_duration_seconds_count", q));
        Assert.Equal(10, metrics.Sum("oee_task_wait_duration_seconds_bucket", q, "le=+Inf"));
        Assert.Equal(10, metrics.Sum("oee_task_run_duration_seconds_count", q));
        Assert.Equal(5, metrics.Sum("oee_task_run_duration_seconds_count", q, "outcome=done"));
        Assert.Equal(4, metrics.Sum("oee_task_run_duration_seconds_count", q, "outcome=error"));
        Assert.Equal(1, metrics.Sum("oee_task_run_duration_seconds_count", q, "outcome=retry"));
        Assert.True(metrics.Sum("oee_task_run_duration_seconds_sum", q) > 0);

        // Orleans' own meter beside OEE's is checked on real silo processes (tests/Oee.EndToEnd.Tests/ObservabilityTests):
        // in this process another test's host (OrleansDashboardTests) may own and dispose Orleans' meter.
    }

    [Fact]
    public async Task Metrics_report_each_silo_s_worker_slots_and_dispatch_units_under_its_address()
    {
        // Every silo of this process (the API's embedded one, and other tests' hosts) reports its own four gauges.
        var metrics = await WaitForMetrics(m => m.Has("oee_worker_slots_total"));
        var silos = metrics.Samples.Where(s => s.Name == "oee_worker_slots_total").ToList();
        Assert.All(silos, s => Assert.True(s.Labels.ContainsKey("silo") && s.Value >= 1, $"{s.Name} {string.Join(',', s.Labels)} = {s.Value}"));
        foreach (var name in new[] { "oee_worker_slots_busy", "oee_worker_slots_waiting", "oee_dispatch_units" })
        {
            Assert.All(silos, s => Assert.True(metrics.Has(name, $"silo={s.Labels["silo"]}"), $"{name} missing for silo {s.Labels["silo"]}"));
        }
    }

    [Fact]
    public async Task Health_live_and_ready_answer_200_while_the_cluster_answers()
    {
        var live = await Http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        var ready = await Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/health")).StatusCode);

        // Off by default: the Orleans dashboard is not served.
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/orleans")).StatusCode);
    }

    private async Task<string> Submit(string queue, string body)
    {
        var withQueue = body.Insert(1, $"\"queue\":\"{queue}\",");
        var response = await Http.PostJson("/api/tasks", withQueue);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Json()).GetProperty("id").GetString()!;
    }

    /// <summary>Scrapes until the condition holds (the exporter caches a scrape briefly); returns that scrape.</summary>
    private async Task<PrometheusText> WaitForMetrics(Func<PrometheusText, bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var response = await Http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var metrics = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
            if (condition(metrics))
            {
                return metrics;
            }

            Assert.True(DateTime.UtcNow < deadline, $"/metrics did not reach the expected state:\n{string.Join('\n', metrics.Text.Split('\n').Where(l => l.StartsWith("oee_", StringComparison.Ordinal) && !l.Contains("_bucket", StringComparison.Ordinal)))}");
            await Task.Delay(100);
        }
    }

    private static async Task WaitFor(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }
}
