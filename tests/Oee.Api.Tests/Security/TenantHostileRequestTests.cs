using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Oee.Api.Tests.Security;

/// <summary>
/// The hostile-request fuzz (<see cref="HostileRequests"/>) sent with one tenant's submitter key, aimed at
/// another tenant's real tasks: their ids in paths, and as ids, dependencies and parents in bodies. Every
/// answer is a 4xx problem or a 2xx that shows nothing of the other tenant; every direct reach for one of
/// its tasks is a 404; and afterwards none of its tasks changed and its listing is as it was. On memory
/// (<see cref="TenantHostileRequestTestsOnMemory"/>) and PostgreSQL (<see cref="TenantHostileRequestTestsOnPostgres"/>).
/// </summary>
public abstract class TenantHostileRequestTests(TenantApiFixtureBase api)
{
    private const int Seed = 20261129;
    private const string Secret = "globex-secret";

    protected abstract int PerOperation { get; }

    [Fact]
    public async Task Another_tenants_ids_in_hostile_requests_reach_nothing_and_change_nothing()
    {
        var theirs = await SeedOtherTenant();
        var before = await Snapshot(theirs);
        var theirListing = await ListIds(api.GlobexHttp);
        var openApi = JsonNode.Parse(await api.AdminHttp.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var requests = HostileRequests.For(openApi, Seed, PerOperation, theirs);

        var answers = new HostileAnswers();
        foreach (var request in requests)
        {
            if (await answers.Send(api.AcmeHttp, request) is { } answer
                && (answer.Body.Contains(Secret, StringComparison.Ordinal) || answer.Body.Contains("\"tenant\":\"globex\"", StringComparison.Ordinal)))
            {
                answers.Failures.Add($"{answer.Status} shows the other tenant's task for {request.Description}: {HostileAnswers.Shorten(answer.Body)}");
            }
        }

        Assert.True(answers.Failures.Count == 0, answers.Summary(requests.Count));
        Assert.True(answers.Statuses.Keys.Any(s => s is >= 200 and < 300), "no request was answered 2xx: the fuzz did not reach the handlers");

        // Straight at each of their tasks, through every route that takes a task id: as missing.
        foreach (var id in theirs)
        {
            foreach (var (method, path) in new[] { ("GET", "/api/tasks/{0}"), ("GET", "/api/tasks/{0}/events"), ("GET", "/api/pipelines/{0}"), ("POST", "/api/tasks/{0}/cancel"), ("POST", "/api/tasks/{0}/retry") })
            {
                using var message = new HttpRequestMessage(new HttpMethod(method), string.Format(path, id));
                using var response = await api.AcmeHttp.SendAsync(message);
                var problem = await response.AssertProblem(HttpStatusCode.NotFound);
                Assert.Equal($"No task has the id '{id}'.", problem.GetProperty("detail").GetString());
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await api.AcmeHttp.GetAsync("/health")).StatusCode);
        Assert.Equal(before, await Snapshot(theirs));
        Assert.Equal(theirListing, await ListIds(api.GlobexHttp));
        Assert.All(await ListIds(api.AcmeHttp), id => Assert.DoesNotContain(id, theirs));
    }

    // The other tenant's tasks in several states: scheduled for tomorrow, failed, done, and a waiting child.
    private async Task<string[]> SeedOtherTenant()
    {
        var queue = $"tenant-fuzz-{Guid.NewGuid():N}";
        var scheduled = await Submit($$"""{"name":"{{Secret}}-1","handler":"echo","queue":"{{queue}}","delay":"P1D","tags":["{{Secret}}"]}""");
        var failed = await Submit($$$"""{"name":"{{{Secret}}}-2","handler":"fail","queue":"{{{queue}}}","maxAttempts":1,"input":{"message":"{{{Secret}}}"}}""");
        var done = await Submit($$$"""{"name":"{{{Secret}}}-3","handler":"echo","queue":"{{{queue}}}","input":{"secret":"{{{Secret}}}"}}""");
        var waiting = await Submit($$"""{"name":"{{Secret}}-4","handler":"echo","queue":"{{queue}}","dependsOn":["{{scheduled}}"],"parentId":"{{scheduled}}"}""");
        foreach (var (id, status) in new[] { (failed, "error"), (done, "done") })
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await (await api.GlobexHttp.GetAsync($"/api/tasks/{id}")).Json()).GetProperty("status").GetString() != status)
            {
                Assert.True(DateTime.UtcNow < deadline, $"task {id} never became {status}");
                await Task.Delay(50);
            }
        }

        return [scheduled, failed, done, waiting];
    }

    private async Task<string> Submit(string body)
    {
        var response = await api.GlobexHttp.PostJson("/api/tasks", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Json()).GetProperty("id").GetString()!;
    }

    // What the admin sees of their tasks: the whole record minus nothing that may change by itself.
    private async Task<List<string>> Snapshot(IEnumerable<string> ids)
    {
        var seen = new List<string>();
        foreach (var id in ids)
        {
            var task = await (await api.AdminHttp.GetAsync($"/api/tasks/{id}")).Json();
            seen.Add(string.Join('|', id, task.GetProperty("status").GetString(), task.GetProperty("version").GetInt64(), task.GetProperty("tenant").GetString(), task.GetProperty("dependents").GetRawText()));
        }

        return seen;
    }

    private static async Task<List<string>> ListIds(HttpClient http)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await http.GetAsync("/api/tasks?limit=500" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)))).Json();
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return ids;
    }
}

[Collection(TenantApiCollection.Name)]
public sealed class TenantHostileRequestTestsOnMemory(TenantApiFixture api) : TenantHostileRequestTests(api)
{
    protected override int PerOperation => 60;
}

[Collection(TenantPostgresApiCollection.Name)]
public sealed class TenantHostileRequestTestsOnPostgres(TenantPostgresApiFixture api) : TenantHostileRequestTests(api)
{
    protected override int PerOperation => 40;
}
