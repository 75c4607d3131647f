using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Oee.Api.Hosting;
using Oee.Api.Tests.Events;

namespace Oee.Api.Tests.Hosting;

/// <summary>
/// The API behind a cleartext HTTP/2-only endpoint (<c>Kestrel:EndpointDefaults:Protocols=Http2</c>; the README
/// shows the same setting on a named endpoint, for clients that multiplex their submits on one connection): submits,
/// reads, problem answers and event streams are the same as over HTTP/1.1, and the warm-up warms it.
/// </summary>
public sealed class Http2EndpointTests(Http2EndpointTests.Http2Api api) : IClassFixture<Http2EndpointTests.Http2Api>
{
    private HttpClient Http => api.Http;

    [Fact]
    public async Task A_submitted_task_runs_and_reads_back_over_http2()
    {
        using var created = await Http.PostJson("/api/tasks", """{"name":"h2","handler":"echo","input":{"via":"h2"}}""");
        var id = (await created.Json()).GetProperty("id").GetString()!;
        var done = await Http.WaitForStatus(id, "done");

        Assert.Equal(HttpVersion.Version20, created.Version);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/tasks/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("h2", done.GetProperty("result").GetProperty("via").GetString());
    }

    [Fact]
    public async Task A_minimal_submit_answers_201_with_location_and_no_body_over_http2()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tasks")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent("""{"name":"h2-minimal","handler":"echo","input":{}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Prefer", "return=minimal");
        using var created = await Http.SendAsync(request);
        var location = created.Headers.Location?.OriginalString;

        Assert.Equal(HttpVersion.Version20, created.Version);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("return=minimal", created.Headers.GetValues("Preference-Applied").Single());
        Assert.Empty(await created.Content.ReadAsByteArrayAsync());
        Assert.NotNull(location);
        await Http.WaitForStatus(location[(location.LastIndexOf('/') + 1)..], "done");
    }

    [Fact]
    public async Task Bad_input_gets_the_same_problem_details_over_http2()
    {
        using var refused = await Http.PostJson("/api/tasks", """{"name":"h2-bad","handler":"echo","priority":11}""");
        using var missing = await Http.GetAsync($"/api/tasks/{Guid.NewGuid()}");

        Assert.Equal(HttpVersion.Version20, refused.Version);
        await refused.AssertInvalidField("priority");
        await missing.AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_task_event_stream_runs_to_the_final_event_over_http2()
    {
        var queue = $"h2-sse-{Guid.NewGuid():N}";
        await Http.PutJson($"/api/queues/{queue}", """{"paused":true}""");
        using var created = await Http.PostJson("/api/tasks", $$$"""{"name":"h2-sse","handler":"echo","queue":"{{{queue}}}","input":{}}""");
        var id = (await created.Json()).GetProperty("id").GetString()!;

        await using var stream = await SseReader.OpenAsync(Http, $"/api/tasks/{id}/events");
        var snapshot = (await stream.NextAsync())!.Value;
        await Http.PutJson($"/api/queues/{queue}", """{"paused":false}""");
        var rest = await stream.ToEndAsync();

        Assert.Equal("queued", snapshot.Data.GetProperty("status").GetString());
        Assert.Equal("done", rest[^1].Data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_warm_up_finds_the_http2_only_endpoint_and_warms_it()
    {
        var answers = await api.Services.GetRequiredService<ApiWarmUp>().WarmUpAsync(CancellationToken.None);

        // Refused submits (400) and queue reads (200, or 404 before the default queue is configured): none failed.
        Assert.Equal(300, answers.GetValueOrDefault(HttpStatusCode.BadRequest));
        Assert.Equal(300, answers.GetValueOrDefault(HttpStatusCode.OK) + answers.GetValueOrDefault(HttpStatusCode.NotFound));
        Assert.Equal(600, answers.Values.Sum());
    }

    /// <summary>The real API on Kestrel with its one endpoint speaking HTTP/2 only, and a client that sends HTTP/2 with prior knowledge.</summary>
    public sealed class Http2Api : WebApplicationFactory<Program>, IAsyncLifetime
    {
        public HttpClient Http { get; private set; } = null!;

        public Task InitializeAsync()
        {
            UseKestrel(0);
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            Http = new HttpClient
            {
                BaseAddress = new Uri(address),
                DefaultRequestVersion = HttpVersion.Version20,
                DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            return Task.CompletedTask;
        }

        Task IAsyncLifetime.DisposeAsync()
        {
            Http.Dispose();
            return DisposeAsync().AsTask();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.UseOwnLoopbackSilo("api-h2-tests").UseSetting("Kestrel:EndpointDefaults:Protocols", "Http2");
    }
}
