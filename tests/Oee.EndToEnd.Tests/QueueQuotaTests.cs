using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Oee.EndToEnd.Tests;

/// <summary>Real processes, real PostgreSQL: a full queue answers 429, and a per-key limit holds under several tenants.</summary>
public sealed class QueueQuotaTests(ITestOutputHelper output)
{
    private const int MaxPerKey = 2;
    private const int HogTasks = 40;
    private const int Tenants = 5;
    private const int TasksPerTenant = 16;
    private const int BodyMs = 500;

    [Fact]
    public async Task A_full_queue_answers_429_and_a_per_key_limit_holds_under_several_tenants()
    {
        await using var deployment = await OeeDeployment.Create();
        deployment.StartSilo("silo-a");
        deployment.StartSilo("silo-b");
        await deployment.StartApi(expectedSilos: 2);
        try
        {
            await FullQueue(deployment);
            await PerKeyLimit(deployment);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw OeeDeployment.Failure(ex, await deployment.Diagnose("e2e-tenants"), deployment.Logs());
        }
    }

    private static async Task FullQueue(OeeDeployment deployment)
    {
        await deployment.Put("/api/queues/e2e-full", """{"paused":true,"maxPending":5}""");
        var accepted = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            accepted.Add((await deployment.Post("/api/tasks", Body("e2e-full", $"ok-{i}", "echo", "1"))).GetProperty("id").GetString()!);
        }

        var refusedId = $"refused-{Guid.NewGuid():N}";
        using var refused = await deployment.Http.PostAsync("/api/tasks", Json(Body("e2e-full", "refused", "echo", "1", id: refusedId)));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("e2e-full", problem.GetProperty("queue").GetString());
        Assert.Contains("maxPending", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using (var missing = await deployment.Http.GetAsync($"/api/tasks/{refusedId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        var batch = await deployment.Post("/api/tasks/batch", $$"""{"tasks":[{{Body("e2e-full", "b0", "echo", "1")}},{{Body("e2e-full", "b1", "echo", "1")}}]}""");
        Assert.Equal(2, batch.GetProperty("queueFull").GetInt32());
        Assert.All(batch.GetProperty("results").EnumerateArray(), r => Assert.Equal(1, r.GetProperty("retryAfterSeconds").GetInt32()));
        Assert.Equal(5, (await deployment.Get("/api/tasks?queue=e2e-full")).GetProperty("items").GetArrayLength());

        // Resumed, it drains; then the refused task is taken with its id.
        await deployment.Put("/api/queues/e2e-full", """{"paused":false}""");
        await WaitAllDone(deployment, accepted);
        await deployment.Post("/api/tasks", Body("e2e-full", "refused", "echo", "1", id: refusedId));
        await WaitAllDone(deployment, [refusedId]);
    }

    private async Task PerKeyLimit(OeeDeployment deployment)
    {
        const string queue = "e2e-tenants";
        await deployment.Put($"/api/queues/{queue}", $$"""{"maxConcurrency":8,"maxPerKey":{{MaxPerKey}}}""");

        // The hog's 40 tasks first, at the highest priority; then five tenants' tasks at the lowest.
        var body = $$"""{"ms":{{BodyMs}}}""";
        var hog = await SubmitBatch(deployment, Enumerable.Range(0, HogTasks).Select(i => Body(queue, $"hog-{i}", "delay", body, priority: 10, key: "hog")));
        using var sampling = new CancellationTokenSource();
        var sampler = SampleRunningByKey(deployment, queue, sampling.Token);
        var tenants = await SubmitBatch(deployment, Enumerable.Range(0, Tenants * TasksPerTenant).Select(i => Body(queue, $"t-{i}", "delay", body, priority: 0, key: $"tenant-{i % Tenants}")));

        var records = await WaitAllDone(deployment, [.. hog, .. tenants]);
        await sampling.CancelAsync();
        var (samples, mostByKey, bothAtOnce) = await sampler;

        // The queue's own view, sampled throughout: never more than the limit of one key running.
        Assert.True(samples > 0);
        Assert.All(mostByKey, k => Assert.InRange(k.Value, 1, MaxPerKey));
        Assert.Equal(Tenants + 1, mostByKey.Count);

        // The tasks' recorded times: no moment with more than the limit of one key's bodies running.
        foreach (var task in records)
        {
            var key = task.GetProperty("concurrencyKey").GetString();
            var started = task.GetProperty("startedAt").GetDateTimeOffset();
            var overlapping = records.Count(o => o.GetProperty("concurrencyKey").GetString() == key
                && o.GetProperty("startedAt").GetDateTimeOffset() <= started
                && o.GetProperty("completedAt").GetDateTimeOffset() > started);
            Assert.True(overlapping <= MaxPerKey, $"{overlapping} tasks of {key} ran at {started:O}");
        }

        // The hog, first and at priority 10, did not hold the others back: they ran while it still waited
        // (its 40 bodies of 500 ms, two at a time, keep it busy for at least 10 s, whatever the machine's speed).
        var hogLastStart = records.Where(r => r.GetProperty("concurrencyKey").GetString() == "hog").Max(r => r.GetProperty("startedAt").GetDateTimeOffset());
        var othersFirstStart = records.Where(r => r.GetProperty("concurrencyKey").GetString() != "hog").Min(r => r.GetProperty("startedAt").GetDateTimeOffset());
        Assert.True(othersFirstStart < hogLastStart, $"the other tenants started at {othersFirstStart:O}, after the hog's last start {hogLastStart:O}");
        Assert.True(bothAtOnce, "no sample saw the hog and another tenant running at once");
        output.WriteLine($"{records.Count} tasks done; {samples} samples of the queue; most running per key: {string.Join(", ", mostByKey.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}");
    }

    private static async Task<(int Samples, Dictionary<string, int> MostByKey, bool HogAndOthersAtOnce)> SampleRunningByKey(OeeDeployment deployment, string queue, CancellationToken stop)
    {
        var samples = 0;
        var most = new Dictionary<string, int>();
        var both = false;
        while (!stop.IsCancellationRequested)
        {
            var running = (await deployment.Get($"/api/queues/{queue}")).GetProperty("runningByKey").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
            samples++;
            foreach (var (key, count) in running)
            {
                most[key] = Math.Max(most.GetValueOrDefault(key), count);
            }

            both |= running.ContainsKey("hog") && running.Count > 1;
            await System.Threading.Tasks.Task.Delay(25, CancellationToken.None);
        }

        return (samples, most, both);
    }

    private static async Task<List<string>> SubmitBatch(OeeDeployment deployment, IEnumerable<string> tasks)
    {
        var answer = await deployment.Post("/api/tasks/batch", $$"""{"tasks":[{{string.Join(",", tasks)}}]}""");
        Assert.Equal(answer.GetProperty("results").GetArrayLength(), answer.GetProperty("created").GetInt32());
        return [.. answer.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];
    }

    private static async Task<List<JsonElement>> WaitAllDone(OeeDeployment deployment, IReadOnlyCollection<string> ids)
    {
        var done = new Dictionary<string, JsonElement>();
        await OeeDeployment.WaitFor(
            async () =>
            {
                foreach (var id in ids.Where(id => !done.ContainsKey(id)).ToList())
                {
                    var task = await deployment.Get($"/api/tasks/{id}");
                    var status = task.GetProperty("status").GetString();
                    Assert.True(status is "queued" or "running" or "done", $"task {id} is {status}");
                    if (status == "done")
                    {
                        done[id] = task;
                    }
                }

                return done.Count == ids.Count;
            },
            TimeSpan.FromSeconds(240),
            $"{ids.Count} tasks to be done");
        return [.. done.Values];
    }

    private static string Body(string queue, string name, string handler, string input, int priority = 5, string? key = null, string? id = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = id,
            ["name"] = name,
            ["handler"] = handler,
            ["queue"] = queue,
            ["priority"] = priority,
            ["concurrencyKey"] = key,
            ["input"] = JsonDocument.Parse(input).RootElement,
        });

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
