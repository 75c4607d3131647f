using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Oee.Api.Security;

namespace Oee.Api.Tests.Security;

/// <summary>
/// Without keys every request acts as admin: a request from another origin, or (on loopback) one not addressed to
/// localhost, is refused, so that a web page in a browser on the machine cannot act through the API (a cross-site POST
/// cancelled a task with 202; a page on a domain re-pointed at 127.0.0.1 read and submitted anything); and on loopback a
/// request a proxy forwarded is refused (behind a reverse proxy on the machine, every client it forwarded was admin).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AnonymousRequestGuardTests(ApiFixture api)
{
    [Fact]
    public async Task A_cross_site_request_is_refused_and_changes_nothing()
    {
        var id = $"guarded-{Guid.NewGuid():N}";
        using (var submit = await api.Http.PostAsync("/api/tasks", Json($$$"""{"id":"{{{id}}}","name":"held","handler":"delay","input":{"ms":600000}}""")))
        {
            Assert.Equal(HttpStatusCode.Created, submit.StatusCode);
        }

        using var cancel = new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{id}/cancel");
        cancel.Headers.Add("Origin", "https://attacker.example");
        using var refused = await api.Http.SendAsync(cancel);

        var problem = await refused.AssertProblem(HttpStatusCode.Forbidden);
        Assert.Contains("another origin", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var task = await api.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/tasks/{id}");
        Assert.False(task.GetProperty("cancelRequested").GetBoolean());
        using var stop = await api.Http.PostAsync($"/api/tasks/{id}/cancel", null);
        Assert.True(stop.IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_request_from_the_API_s_own_origin_is_answered()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/system");
        request.Headers.Add("Origin", api.Http.BaseAddress!.GetLeftPart(UriPartial.Authority));
        using var response = await api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_request_addressed_to_another_host_name_is_refused_on_loopback()
    {
        // DNS rebinding: the page's own domain, re-pointed at 127.0.0.1, is then its same origin.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/system");
        request.Headers.Host = $"attacker.example:{api.Http.BaseAddress!.Port}";
        using var response = await api.Http.SendAsync(request);

        var problem = await response.AssertProblem(HttpStatusCode.Forbidden);
        Assert.Contains("attacker.example", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.7")]
    [InlineData("Forwarded", "for=203.0.113.7;proto=https")]
    [InlineData("X-Forwarded-Host", "oee.example.com")]
    [InlineData("X-Forwarded-Proto", "https")]
    [InlineData("X-Real-IP", "203.0.113.7")]
    [InlineData("Via", "1.1 proxy")]
    public async Task A_request_a_proxy_forwarded_is_refused_on_loopback_and_changes_nothing(string header, string value)
    {
        // A reverse proxy on the same machine reaches the API from 127.0.0.1, addressed as 127.0.0.1 (nginx's and
        // Apache's default Host): every client on the internet it forwards was the loopback admin.
        var id = $"proxied-{Guid.NewGuid():N}";
        using (var submit = await api.Http.PostAsync("/api/tasks", Json($$$"""{"id":"{{{id}}}","name":"held","handler":"delay","input":{"ms":600000}}""")))
        {
            Assert.Equal(HttpStatusCode.Created, submit.StatusCode);
        }

        using var cancel = new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{id}/cancel");
        cancel.Headers.TryAddWithoutValidation(header, value);
        using var refused = await api.Http.SendAsync(cancel);

        var problem = await refused.AssertProblem(HttpStatusCode.Forbidden);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains($"'{header}'", detail, StringComparison.Ordinal);
        Assert.Contains("Configure API keys", detail, StringComparison.Ordinal);
        Assert.False((await api.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/tasks/{id}")).GetProperty("cancelRequested").GetBoolean());
        using var stop = await api.Http.PostAsync($"/api/tasks/{id}/cancel", null);
        Assert.True(stop.IsSuccessStatusCode);
    }

    [Fact]
    public async Task With_AllowAnonymousOnNetwork_a_forwarded_request_is_answered()
    {
        // Everyone who reaches such an API is admin by its setting: a proxy's clients gain nothing by coming through it.
        await using var open = new OpenKeylessApi();
        open.Start();
        using var http = open.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/system");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("api.localhost", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("[::1]", true)]
    [InlineData("attacker.example", false)]
    [InlineData("localhost.attacker.example", false)]
    [InlineData("10.0.0.1", false)]
    public void Only_localhost_and_loopback_addresses_count_as_loopback_hosts(string host, bool loopback) =>
        Assert.Equal(loopback, AnonymousRequestGuard.IsLoopbackHost(host));

    private sealed class OpenKeylessApi : WebApplicationFactory<Program>
    {
        public void Start()
        {
            UseKestrel(0);
            StartServer();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.UseOwnLoopbackSilo("keyless-open").UseSetting("Oee:Api:Security:AllowAnonymousOnNetwork", "true");
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
