using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Oee.Api.Tests.Security;

/// <summary>
/// Thousands of generated malformed and hostile requests (<see cref="HostileRequests"/>) against every
/// operation of the API's OpenAPI document, as the anonymous admin of a keyless API on loopback (the
/// most a request can be allowed): no answer is a 5xx, every 4xx the application writes is a problem
/// body, the service stays up, and no task, queue or schedule exists or changed afterwards except what
/// a request answered 2xx legitimately created or changed. Run on memory storage
/// (<see cref="HostileRequestTestsOnMemory"/>) and on PostgreSQL (<see cref="HostileRequestTestsOnPostgres"/>).
/// </summary>
public abstract class HostileRequestTests(HttpClient http)
{
    private const int Seed = 20261128;

    protected abstract int PerOperation { get; }

    [Fact]
    public async Task Hostile_requests_get_4xx_problems_never_5xx_and_change_nothing_they_were_not_allowed_to()
    {
        await SeedLegitimateState();
        var before = await TakeSnapshot();
        var openApi = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var requests = HostileRequests.For(openApi, Seed, PerOperation);
        Assert.True(requests.Count >= PerOperation * 15, $"only {requests.Count} requests generated");

        var answers = new HostileAnswers();
        var allowed = new Allowed();
        foreach (var request in requests)
        {
            if (await answers.Send(http, request) is { Status: >= 200 and < 300 } answer)
            {
                allowed.Record(request, answer.Body);
            }
        }

        Assert.True(answers.Failures.Count == 0, answers.Summary(requests.Count));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        await AssertUnchanged(before, await TakeSnapshot(), allowed);
    }

    // A task, a configured queue and a schedule that hostile requests must leave as they are.
    private async Task SeedLegitimateState()
    {
        (await http.PutAsJsonAsync("/api/queues/fuzz-target", new { maxConcurrency = 2 })).EnsureSuccessStatusCode();
        var schedule = new { cron = "0 3 * * *", task = new { name = "kept", handler = "echo" }, paused = true };
        (await http.PutAsJsonAsync("/api/schedules/fuzz-target", schedule)).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/api/tasks", new { id = "fuzz-target", name = "kept", handler = "echo", queue = "fuzz-target", delay = "P1D" })).EnsureSuccessStatusCode();
    }

    private async Task<StoreSnapshot> TakeSnapshot()
    {
        var tasks = new Dictionary<string, string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await http.GetFromJsonAsync<JsonElement>("/api/tasks?limit=500" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                tasks[item.GetProperty("id").GetString()!] = item.GetProperty("name").GetString()!;
            }

            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        var queues = (await http.GetFromJsonAsync<JsonElement>("/api/queues")).EnumerateArray().ToDictionary(
            q => q.GetProperty("name").GetString()!,
            q => string.Join('|', new[] { "maxConcurrency", "paused", "maxPending", "startRate", "startBurst", "maxPerKey", "agingInterval", "retry", "maxAttempts", "timeout" }.Select(p => q.GetProperty(p).GetRawText())),
            StringComparer.Ordinal);
        var schedules = (await http.GetFromJsonAsync<JsonElement>("/api/schedules")).EnumerateArray().ToDictionary(
            s => s.GetProperty("name").GetString()!,
            s => s.GetProperty("version").GetRawText(),
            StringComparer.Ordinal);
        return new StoreSnapshot(tasks, queues, schedules);
    }

    private static Task AssertUnchanged(StoreSnapshot before, StoreSnapshot after, Allowed allowed)
    {
        var unexpectedTasks = after.Tasks.Keys.Except(before.Tasks.Keys)
            .Where(id => !allowed.Tasks.Contains(id) && !id.StartsWith("schedule:", StringComparison.Ordinal))
            .ToList();
        Assert.True(unexpectedTasks.Count == 0, $"tasks appeared that no 2xx answer created: {string.Join(", ", unexpectedTasks.Take(10))}");
        if (!allowed.ClearedFinished)
        {
            Assert.Empty(before.Tasks.Keys.Except(after.Tasks.Keys));
        }

        foreach (var (name, settings) in before.Queues.Where(q => !allowed.Queues.Contains(q.Key)))
        {
            Assert.True(after.Queues.TryGetValue(name, out var now) && now == settings, $"queue '{name}' changed: {settings} -> {now}");
        }

        var unexpectedQueues = after.Queues.Keys.Except(before.Queues.Keys).Where(q => !allowed.Queues.Contains(q)).ToList();
        Assert.True(unexpectedQueues.Count == 0, $"queues appeared that no 2xx answer created: {string.Join(", ", unexpectedQueues.Take(10))}");
        foreach (var (name, version) in before.Schedules.Where(s => !allowed.Schedules.Contains(s.Key)))
        {
            Assert.True(after.Schedules.TryGetValue(name, out var now) && now == version, $"schedule '{name}' changed or vanished");
        }

        var unexpectedSchedules = after.Schedules.Keys.Except(before.Schedules.Keys).Where(s => !allowed.Schedules.Contains(s)).ToList();
        Assert.True(unexpectedSchedules.Count == 0, $"schedules appeared that no 2xx answer created: {string.Join(", ", unexpectedSchedules)}");
        return Task.CompletedTask;
    }

    private sealed record StoreSnapshot(Dictionary<string, string> Tasks, Dictionary<string, string> Queues, Dictionary<string, string> Schedules);

    /// <summary>What requests answered 2xx were allowed to create or change.</summary>
    private sealed class Allowed
    {
        public HashSet<string> Tasks { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Queues { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Schedules { get; } = new(StringComparer.Ordinal);

        public bool ClearedFinished { get; private set; }

        public void Record(HostileRequest request, string body)
        {
            var path = request.Url.Split('?')[0];
            if (request.Method == HttpMethod.Delete && path == "/api/tasks/finished")
            {
                ClearedFinished = true;
                return;
            }

            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
            if (request.Method != HttpMethod.Get && segments.Length >= 3 && segments[1] == "queues")
            {
                Queues.Add(segments[2]);
            }

            if (request.Method != HttpMethod.Get && segments.Length >= 3 && segments[1] == "schedules")
            {
                Schedules.Add(segments[2]);
            }

            // Whatever a write answered 2xx names (tasks, their queues) was legitimately created.
            if (request.Method != HttpMethod.Get && body.Length > 0 && body.TrimStart().StartsWith('{'))
            {
                Collect(JsonNode.Parse(body));
            }
        }

        private void Collect(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject item:
                    if (item["id"] is JsonValue id && id.TryGetValue<string>(out var taskId))
                    {
                        Tasks.Add(taskId);
                    }

                    if (item["queue"] is JsonValue queue && queue.TryGetValue<string>(out var queueName))
                    {
                        Queues.Add(queueName);
                    }

                    foreach (var (_, child) in item)
                    {
                        Collect(child);
                    }

                    break;
                case JsonArray items:
                    foreach (var child in items)
                    {
                        Collect(child);
                    }

                    break;
            }
        }
    }
}

[Collection(ApiCollection.Name)]
public sealed class HostileRequestTestsOnMemory(ApiFixture api) : HostileRequestTests(api.Http)
{
    protected override int PerOperation => 200;
}

[Collection(PostgresApiCollection.Name)]
public sealed class HostileRequestTestsOnPostgres(PostgresApiFixture api) : HostileRequestTests(api.Http)
{
    protected override int PerOperation => 120;
}
