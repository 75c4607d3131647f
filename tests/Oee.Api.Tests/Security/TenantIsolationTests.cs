using System.Net;
using System.Text.Json;
using Oee.Api.Tests.Events;

namespace Oee.Api.Tests.Security;

/// <summary>
/// Two tenants' keys and an untenanted admin over REST, on both storages: each tenant sees, lists,
/// watches and touches only its own tasks; another tenant's id answers exactly like a missing one;
/// cluster-wide figures are closed to tenant keys; a tenant's tasks share one concurrency key.
/// </summary>
public abstract class TenantIsolationTests(TenantApiFixtureBase api)
{
    private const string Acme = TenantApiFixtureBase.Acme;
    private const string Globex = TenantApiFixtureBase.Globex;

    [Fact]
    public async Task Each_tenant_lists_pages_and_filters_only_its_own_tasks_and_the_admin_sees_all()
    {
        var queue = Unique("list");
        var acme = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            acme.Add(await Submit(api.AcmeHttp, queue, name: i % 2 == 0 ? "even" : "odd"));
        }

        var globex = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            globex.Add(await Submit(api.GlobexHttp, queue, name: "even"));
        }

        var untenanted = new[] { await Submit(api.AdminHttp, queue), await Submit(api.AdminHttp, queue) };

        var acmeSeen = await ListAll(api.AcmeHttp, $"/api/tasks?queue={queue}&limit=2");
        Assert.Equal(Enumerable.Reverse(acme), acmeSeen.Select(t => t.GetProperty("id").GetString()));
        Assert.All(acmeSeen, t => Assert.Equal(Acme, t.GetProperty("tenant").GetString()));
        Assert.Equal(Enumerable.Reverse(acme), (await ListAll(api.AcmeReaderHttp, $"/api/tasks?queue={queue}")).Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(Enumerable.Reverse(globex), (await ListAll(api.GlobexHttp, $"/api/tasks?queue={queue}&limit=1")).Select(t => t.GetProperty("id").GetString()));

        // Filters narrow within the tenant; naming another tenant finds nothing; no listing counts the others.
        Assert.Equal([acme[4], acme[2], acme[0]], (await ListAll(api.AcmeHttp, $"/api/tasks?queue={queue}&name=even")).Select(t => t.GetProperty("id").GetString()));
        Assert.Empty(await ListAll(api.AcmeHttp, $"/api/tasks?queue={queue}&tenant={Globex}"));
        Assert.Equal(5, (await ListAll(api.AcmeHttp, $"/api/tasks?queue={queue}&tenant={Acme}")).Count);
        var firstPage = await (await api.AcmeHttp.GetAsync($"/api/tasks?queue={queue}&limit=500")).Json();
        Assert.Equal(["items", "nextCursor"], firstPage.EnumerateObject().Select(p => p.Name).Order());

        var all = await ListAll(api.AdminHttp, $"/api/tasks?queue={queue}");
        Assert.Equal(10, all.Count);
        Assert.Equal(untenanted.Reverse(), all.Take(2).Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(Enumerable.Reverse(globex), (await ListAll(api.AdminHttp, $"/api/tasks?queue={queue}&tenant={Globex}")).Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(3, (await ListAll(api.ReaderHttp, $"/api/tasks?queue={queue}&tenant={Globex}")).Count);
        await (await api.AdminHttp.GetAsync("/api/tasks?tenant=a:b")).AssertInvalidField("tenant");
    }

    [Fact]
    public async Task A_full_queue_refuses_a_tenant_key_without_saying_how_many_tasks_wait_there()
    {
        // Two of the other tenant's tasks fill the paused queue; the 429 (and a batch's item) says the queue is full,
        // not its maxPending: how many tasks of every tenant wait there is a cluster-wide figure.
        var queue = Unique("full");
        Assert.Equal(HttpStatusCode.OK, (await api.AdminHttp.PutJson($"/api/queues/{queue}", """{"paused":true,"maxPending":2}""")).StatusCode);
        await Submit(api.GlobexHttp, queue);
        await Submit(api.GlobexHttp, queue);

        var single = await api.AcmeHttp.PostJson("/api/tasks", $$"""{"name":"t","handler":"echo","queue":"{{queue}}"}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, single.StatusCode);
        var detail = (await single.Json()).GetProperty("detail").GetString()!;
        Assert.Contains($"'{queue}' is full", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("already wait", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("maxPending", detail, StringComparison.Ordinal);

        var batch = await (await api.AcmeHttp.PostJson("/api/tasks/batch", $$"""{"tasks":[{"name":"t","handler":"echo","queue":"{{queue}}"}]}""")).Json();
        var item = batch.GetProperty("results")[0];
        Assert.Equal("queueFull", item.GetProperty("status").GetString());
        Assert.DoesNotContain("already wait", item.GetProperty("detail").GetString()!, StringComparison.Ordinal);

        // A key without a tenant still reads the engine's words, with the limit.
        var admin = await api.AdminHttp.PostJson("/api/tasks", $$"""{"name":"t","handler":"echo","queue":"{{queue}}"}""");
        Assert.Contains("2 tasks already wait", (await admin.Json()).GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_tenants_task_answers_exactly_like_a_missing_one_and_the_admin_sees_it()
    {
        var theirs = await Submit(api.GlobexHttp, Unique("get"), delay: "P1D");
        var missing = Unique("no-such-task");

        foreach (var path in new[] { "/api/tasks/{0}", "/api/tasks/{0}/events", "/api/pipelines/{0}" })
        {
            var foreign = await (await api.AcmeHttp.GetAsync(string.Format(path, theirs))).AssertProblem(HttpStatusCode.NotFound);
            var absent = await (await api.AcmeHttp.GetAsync(string.Format(path, missing))).AssertProblem(HttpStatusCode.NotFound);
            AssertSameProblem(absent, foreign, missing, theirs);
        }

        var seen = await (await api.AdminHttp.GetAsync($"/api/tasks/{theirs}")).Json();
        Assert.Equal((Globex, "globexsubmit"), (seen.GetProperty("tenant").GetString(), seen.GetProperty("submittedBy").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await api.GlobexHttp.GetAsync($"/api/tasks/{theirs}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.AdminHttp.GetAsync($"/api/pipelines/{theirs}")).StatusCode);
    }

    [Fact]
    public async Task Cancel_and_retry_of_another_tenants_task_are_404_and_change_nothing()
    {
        var queue = Unique("change");
        var scheduled = await Submit(api.GlobexHttp, queue, delay: "P1D");
        var failed = (await (await api.GlobexHttp.PostJson("/api/tasks", $$$"""{"name":"f","handler":"fail","queue":"{{{queue}}}","maxAttempts":1,"input":{"message":"no"}}""")).Json()).GetProperty("id").GetString()!;
        await WaitFor(api.GlobexHttp, failed, "error");
        var before = await Versions(scheduled, failed);
        var missing = Unique("no-such-task");

        foreach (var (id, action) in new[] { (scheduled, "cancel"), (scheduled, "retry"), (failed, "cancel"), (failed, "retry") })
        {
            var foreign = await (await api.AcmeHttp.PostAsync($"/api/tasks/{id}/{action}", null)).AssertProblem(HttpStatusCode.NotFound);
            var absent = await (await api.AcmeHttp.PostAsync($"/api/tasks/{missing}/{action}", null)).AssertProblem(HttpStatusCode.NotFound);
            AssertSameProblem(absent, foreign, missing, id);
        }

        Assert.Equal(before, await Versions(scheduled, failed));
        Assert.Equal(HttpStatusCode.OK, (await api.GlobexHttp.PostAsync($"/api/tasks/{scheduled}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task The_tenant_comes_from_the_key_not_the_body_and_its_tasks_share_the_tenants_concurrency_key()
    {
        var queue = Unique("body");
        var response = await api.AcmeHttp.PostJson("/api/tasks", $$"""{"name":"t","handler":"echo","queue":"{{queue}}","tenant":"{{Globex}}"}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var task = await response.Json();
        Assert.Equal((Acme, Acme), (task.GetProperty("tenant").GetString(), task.GetProperty("concurrencyKey").GetString()));
        Assert.Empty(await ListAll(api.GlobexHttp, $"/api/tasks?queue={queue}"));

        var same = await api.AcmeHttp.PostJson("/api/tasks", $$"""{"name":"t","handler":"echo","queue":"{{queue}}","concurrencyKey":"{{Acme}}"}""");
        Assert.Equal(HttpStatusCode.Created, same.StatusCode);
        await (await api.AcmeHttp.PostJson("/api/tasks", $$"""{"name":"t","handler":"echo","queue":"{{queue}}","concurrencyKey":"{{Globex}}"}""")).AssertInvalidField("concurrencyKey");
        await (await api.AcmeHttp.PostJson("/api/tasks/batch", $$"""{"tasks":[{"name":"t","handler":"echo","queue":"{{queue}}"},{"name":"t","handler":"echo","concurrencyKey":"other"}]}""")).AssertInvalidField("tasks[1].concurrencyKey");

        // An untenanted admin's task has no tenant and keeps its own key.
        var admin = await (await api.AdminHttp.PostJson("/api/tasks", $$"""{"name":"t","handler":"echo","queue":"{{queue}}","concurrencyKey":"k1"}""")).Json();
        Assert.Equal((JsonValueKind.Null, "k1"), (admin.GetProperty("tenant").ValueKind, admin.GetProperty("concurrencyKey").GetString()));
    }

    [Fact]
    public async Task Ids_dependencies_and_batches_never_reveal_another_tenants_task()
    {
        var queue = Unique("ids");
        var theirId = Unique("order");
        await Submit(api.GlobexHttp, queue, id: theirId, name: "secret-name", delay: "P1D");
        var before = await Versions(theirId);

        // The id is taken, and that is all the answer says.
        var conflict = await (await api.AcmeHttp.PostJson("/api/tasks", $$"""{"id":"{{theirId}}","name":"mine","handler":"echo","queue":"{{queue}}"}""")).AssertProblem(HttpStatusCode.Conflict);
        var detail = conflict.GetProperty("detail").GetString()!;
        Assert.Contains("is taken", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-name", conflict.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Globex, conflict.ToString(), StringComparison.Ordinal);

        var batch = await (await api.AcmeHttp.PostJson("/api/tasks/batch", $$"""{"tasks":[{"id":"{{theirId}}","name":"mine","handler":"echo","queue":"{{queue}}"}]}""")).Json();
        var item = batch.GetProperty("results")[0];
        Assert.Equal(("conflict", JsonValueKind.Null), (item.GetProperty("status").GetString(), item.GetProperty("task").ValueKind));
        Assert.DoesNotContain("secret-name", batch.ToString(), StringComparison.Ordinal);

        // Depending on it is depending on a missing task, alone or in a batch.
        var single = await (await api.AcmeHttp.PostJson("/api/tasks", $$"""{"name":"mine","handler":"echo","queue":"{{queue}}","dependsOn":["{{theirId}}"]}""")).AssertProblem(HttpStatusCode.BadRequest);
        var missingId = Unique("none");
        var absent = await (await api.AcmeHttp.PostJson("/api/tasks", $$"""{"name":"mine","handler":"echo","queue":"{{queue}}","dependsOn":["{{missingId}}"]}""")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(
            absent.GetProperty("errors").GetProperty("dependsOn")[0].GetString()!.Replace(missingId, "ID", StringComparison.Ordinal),
            single.GetProperty("errors").GetProperty("dependsOn")[0].GetString()!.Replace(theirId, "ID", StringComparison.Ordinal));
        await (await api.AcmeHttp.PostJson("/api/tasks/batch", $$"""{"tasks":[{"name":"mine","handler":"echo","queue":"{{queue}}","dependsOn":["{{theirId}}"]}]}""")).AssertInvalidField("tasks[0].dependsOn");

        // Naming it as a parent links nothing it can see: its children listing stays its own.
        var child = await Submit(api.AcmeHttp, queue, parentId: theirId);
        Assert.Empty(await ListAll(api.GlobexHttp, $"/api/tasks?parentId={theirId}"));
        Assert.Equal([child], (await ListAll(api.AcmeHttp, $"/api/tasks?parentId={theirId}")).Select(t => t.GetProperty("id").GetString()));

        Assert.Equal(before, await Versions(theirId));
        Assert.Equal(HttpStatusCode.OK, (await api.GlobexHttp.PostAsync($"/api/tasks/{theirId}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task A_tenants_event_stream_carries_only_its_own_tasks_events()
    {
        var queue = Unique("events");
        await using var acmeStream = await SseReader.OpenAsync(api.AcmeHttp, $"/api/events?queue={queue}");
        await using var allStream = await SseReader.OpenAsync(api.AcmeHttp, "/api/events");

        // Globex's task goes first: were its events let through, they would come before acme's.
        var theirs = await Submit(api.GlobexHttp, queue);
        await WaitFor(api.GlobexHttp, theirs, "done");
        var mine = await Submit(api.AcmeHttp, queue);

        foreach (var stream in new[] { acmeStream, allStream })
        {
            // Earlier tests' acme tasks may still send events (a late cancel): any event is acme's, never globex's.
            while (true)
            {
                var next = await stream.NextAsync();
                Assert.NotNull(next);
                var data = next.Value.Data;
                Assert.NotEqual(theirs, data.GetProperty("taskId").GetString());
                Assert.Equal(Acme, data.GetProperty("tenant").GetString());
                if (data.GetProperty("taskId").GetString() == mine && data.GetProperty("status").GetString() == "done")
                {
                    break;
                }
            }
        }

        // The task's own stream, for its tenant.
        await using var own = await SseReader.OpenAsync(api.AcmeHttp, $"/api/tasks/{mine}/events");
        var snapshot = await own.NextAsync();
        Assert.Equal((mine, Acme), (snapshot!.Value.Data.GetProperty("taskId").GetString(), snapshot.Value.Data.GetProperty("tenant").GetString()));
    }

    [Theory]
    [InlineData("/api/system")]
    [InlineData("/api/queues")]
    [InlineData("/api/queues/default")]
    [InlineData("/api/schedules")]
    [InlineData("/api/dashboard/history")]
    [InlineData("/metrics")]
    public async Task Cluster_wide_figures_are_403_for_tenant_keys_saying_why_and_open_to_untenanted_readers(string path)
    {
        foreach (var tenantKey in new[] { api.AcmeHttp, api.AcmeReaderHttp })
        {
            var problem = await (await tenantKey.GetAsync(path)).AssertProblem(HttpStatusCode.Forbidden);
            Assert.Contains("tenant keys cannot read cluster-wide figures", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        if (path == "/api/queues/default")
        {
            await Submit(api.AdminHttp, "default");
        }

        Assert.Equal(HttpStatusCode.OK, (await api.ReaderHttp.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.AdminHttp.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task A_tenant_key_may_not_configure_and_its_handlers_and_models_stay_readable()
    {
        var problem = await (await api.AcmeHttp.PutJson("/api/queues/mine", """{"maxConcurrency":3}""")).AssertProblem(HttpStatusCode.Forbidden);
        Assert.Contains("role", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await api.AcmeHttp.DeleteAsync("/api/tasks/finished")).AssertProblem(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await api.AcmeHttp.GetAsync("/api/handlers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.AcmeHttp.GetAsync("/api/models")).StatusCode);
    }

    [Fact]
    public async Task One_tenants_many_tasks_cannot_take_a_queues_per_key_slots_from_another()
    {
        var queue = Unique("slots");
        (await api.AdminHttp.PutJson($"/api/queues/{queue}", """{"maxConcurrency":2,"maxPerKey":1}""")).EnsureSuccessStatusCode();

        // Acme's three day-long tasks come first, at the highest priority; only one may run.
        var acme = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var body = $$$"""{"name":"long","handler":"delay","queue":"{{{queue}}}","priority":10,"input":{"ms":86400000}}""";
            acme.Add((await (await api.AcmeHttp.PostJson("/api/tasks", body)).Json()).GetProperty("id").GetString()!);
        }

        try
        {
            // Globex's task, submitted after and at the lowest priority, still runs and finishes.
            var globex = await Submit(api.GlobexHttp, queue, priority: 0);
            await WaitFor(api.GlobexHttp, globex, "done");
            await WaitUntil(async () => (await Statuses(acme)).Count(s => s == "running") == 1, "one acme task running");
            var statuses = await Statuses(acme);
            Assert.Equal((1, 2), (statuses.Count(s => s == "running"), statuses.Count(s => s == "queued")));
            var status = await (await api.AdminHttp.GetAsync($"/api/queues/{queue}")).Json();
            Assert.Equal(1, status.GetProperty("runningByKey").GetProperty(Acme).GetInt32());
        }
        finally
        {
            foreach (var id in acme)
            {
                (await api.AcmeHttp.PostAsync($"/api/tasks/{id}/cancel", null)).Dispose();
            }
        }
    }

    private async Task<List<string>> Statuses(IEnumerable<string> ids)
    {
        var statuses = new List<string>();
        foreach (var id in ids)
        {
            statuses.Add((await (await api.AdminHttp.GetAsync($"/api/tasks/{id}")).Json()).GetProperty("status").GetString()!);
        }

        return statuses;
    }

    private async Task<List<(string Status, long Version)>> Versions(params string[] ids)
    {
        var versions = new List<(string, long)>();
        foreach (var id in ids)
        {
            var task = await (await api.AdminHttp.GetAsync($"/api/tasks/{id}")).Json();
            versions.Add((task.GetProperty("status").GetString()!, task.GetProperty("version").GetInt64()));
        }

        return versions;
    }

    private static void AssertSameProblem(JsonElement absent, JsonElement foreign, string missingId, string foreignId)
    {
        Assert.Equal(absent.EnumerateObject().Select(p => p.Name).Order(), foreign.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(absent.GetProperty("title").GetString(), foreign.GetProperty("title").GetString());
        Assert.Equal(
            absent.GetProperty("detail").GetString()!.Replace(missingId, "ID", StringComparison.Ordinal),
            foreign.GetProperty("detail").GetString()!.Replace(foreignId, "ID", StringComparison.Ordinal));
    }

    private static async Task<string> Submit(HttpClient http, string queue, string name = "t", string? delay = null, string? id = null, string? parentId = null, int priority = 5)
    {
        var body = new Dictionary<string, object?> { ["name"] = name, ["handler"] = "echo", ["queue"] = queue, ["priority"] = priority };
        if (delay is not null)
        {
            body["delay"] = delay;
        }

        if (id is not null)
        {
            body["id"] = id;
        }

        if (parentId is not null)
        {
            body["parentId"] = parentId;
        }

        var response = await http.PostJson("/api/tasks", JsonSerializer.Serialize(body));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Json()).GetProperty("id").GetString()!;
    }

    private static async Task<List<JsonElement>> ListAll(HttpClient http, string url)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await http.GetAsync(url + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)))).Json();
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return items;
    }

    private static Task WaitFor(HttpClient http, string id, string status) =>
        WaitUntil(async () => (await (await http.GetAsync($"/api/tasks/{id}")).Json()).GetProperty("status").GetString() == status, $"task {id} {status}");

    private static async Task WaitUntil(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}

[Collection(TenantApiCollection.Name)]
public sealed class TenantIsolationTestsOnMemory(TenantApiFixture api) : TenantIsolationTests(api);

[Collection(TenantPostgresApiCollection.Name)]
public sealed class TenantIsolationTestsOnPostgres(TenantPostgresApiFixture api) : TenantIsolationTests(api);
