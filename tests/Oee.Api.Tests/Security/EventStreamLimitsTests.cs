using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Oee.Api.Security;
using Oee.Api.Tests.Events;

namespace Oee.Api.Tests.Security;

/// <summary>
/// An API key may have at most Oee:Api:Security:MaxEventStreamsPerKey event streams open (here 2; without keys, a client
/// address): one more is a 429 naming the limit and the setting, other keys are not affected, and a stream that closes
/// (the client leaves, or a task stream ends) frees its place. Before, one client could open thousands and hold them.
/// Without keys an IPv6 client is one holder by its /64 network.
/// </summary>
public sealed class EventStreamLimitsTests(EventStreamLimitsTests.LimitedStreamsApi api) : IClassFixture<EventStreamLimitsTests.LimitedStreamsApi>
{
    private const int Limit = 2;

    [Fact]
    public async Task A_key_s_stream_over_the_limit_is_429_and_a_closed_one_frees_its_place()
    {
        using var reader = api.With(api.ReaderKey);
        var first = await SseReader.OpenAsync(reader, "/api/events");
        await using var second = await SseReader.OpenAsync(reader, "/api/events?queue=limited");
        try
        {
            using (var refused = await Refused(reader, "/api/events"))
            {
                var problem = await refused.AssertProblem(HttpStatusCode.TooManyRequests);
                var detail = problem.GetProperty("detail").GetString();
                Assert.Contains("This API key has 2 event streams open", detail, StringComparison.Ordinal);
                Assert.Contains(EventStreamLimits.Setting, detail, StringComparison.Ordinal);
                Assert.Equal(Limit, problem.GetProperty("limit").GetInt32());
            }

            // A task stream counts as well, and another key has places of its own.
            using var admin = api.With(api.AdminKey);
            var id = (await (await admin.PostJson("/api/tasks", """{"name":"held","handler":"delay","input":{"ms":600000}}""")).Json()).GetProperty("id").GetString()!;
            using (var refused = await Refused(reader, $"/api/tasks/{id}/events"))
            {
                await refused.AssertProblem(HttpStatusCode.TooManyRequests);
            }

            await using (await SseReader.OpenAsync(admin, $"/api/tasks/{id}/events"))
            {
            }

            using (await admin.PostAsync($"/api/tasks/{id}/cancel", null))
            {
            }
        }
        finally
        {
            await first.DisposeAsync();
        }

        // The client left: once the API has seen it go, the place is free again.
        await WaitForOpen("key:reader1", Limit - 1);
        await using var again = await SseReader.OpenAsync(reader, "/api/events");
        Assert.Equal(Limit, Streams.OpenFor("key:reader1"));
    }

    [Fact]
    public async Task A_task_stream_that_ends_by_itself_frees_its_place()
    {
        using var admin = api.With(api.AdminKey);
        var id = (await (await admin.PostJson("/api/tasks", """{"name":"quick","handler":"echo","input":1}""")).Json()).GetProperty("id").GetString()!;
        await admin.WaitForStatus(id, "done");

        for (var i = 0; i < Limit + 1; i++)
        {
            // A finished task's stream: its snapshot, then the end.
            await using var stream = await SseReader.OpenAsync(admin, $"/api/tasks/{id}/events");
            Assert.Equal("done", (await stream.NextAsync())!.Value.Data.GetProperty("status").GetString());
            Assert.Null(await stream.NextAsync());
            await WaitForOpen("key:admin1", 0);
        }
    }

    [Fact]
    public async Task Without_keys_a_client_address_has_the_limit()
    {
        await using var keyless = new KeylessApi();
        keyless.Start();
        using var http = keyless.CreateClient();
        await using var only = await SseReader.OpenAsync(http, "/api/events");

        using var refused = await Refused(http, "/api/events");
        var problem = await refused.AssertProblem(HttpStatusCode.TooManyRequests);

        Assert.Contains("This client address has 1 event streams open", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_keys_an_IPv6_client_holds_its_streams_by_its_64()
    {
        var limits = new EventStreamLimits(Options.Create(new OeeApiSecurityOptions { MaxEventStreamsPerKey = 1 }));

        // Two addresses of one /64 are one holder (each address was a holder of its own).
        Assert.True(limits.TryOpen(Anonymous("2001:db8:1:2::1")));
        var sameNetwork = Anonymous("2001:db8:1:2::2");
        Assert.False(limits.TryOpen(sameNetwork));
        Assert.StartsWith("This client's IPv6 /64 network has 1 event streams open", limits.RefusalDetail(sameNetwork), StringComparison.Ordinal);

        // Another /64, and each IPv4 address, holds its own.
        Assert.True(limits.TryOpen(Anonymous("2001:db8:1:3::1")));
        Assert.True(limits.TryOpen(Anonymous("192.0.2.7")));
        Assert.True(limits.TryOpen(Anonymous("192.0.2.8")));
        Assert.Equal(1, limits.OpenFor(EventStreamLimits.HolderOf(sameNetwork)));
    }

    // A request of the anonymous admin of a keyless API from an address.
    private static DefaultHttpContext Anonymous(string address)
    {
        var context = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, ApiKeyAuthenticationHandler.AnonymousName)], "test")),
        };
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        return context;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100_001)]
    public void The_limit_is_checked_at_start_naming_its_setting(int limit)
    {
        var result = new OeeApiSecurityOptionsValidator().Validate(null, new OeeApiSecurityOptions { MaxEventStreamsPerKey = limit });

        Assert.True(result.Failed);
        Assert.Contains(EventStreamLimits.Setting, result.FailureMessage, StringComparison.Ordinal);
    }

    // A stream that should be refused: its status is checked before its body is read (an open stream's body never ends).
    private static async Task<HttpResponseMessage> Refused(HttpClient http, string url)
    {
        var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.TooManyRequests)
        {
            response.Dispose();
            Assert.Fail($"{url} answered {(int)response.StatusCode}, not 429");
        }

        return response;
    }

    private EventStreamLimits Streams => api.Services.GetRequiredService<EventStreamLimits>();

    // The API sees a client leave when its connection closes: a moment after the client disposed its stream.
    private async Task WaitForOpen(string holder, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Streams.OpenFor(holder) != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{holder} still has {Streams.OpenFor(holder)} streams open, not {count}");
            await Task.Delay(20);
        }
    }

    /// <summary>The API with a reader and an admin key, each allowed 2 event streams.</summary>
    public sealed class LimitedStreamsApi : WebApplicationFactory<Program>, IAsyncLifetime
    {
        public string ReaderKey { get; } = ApiKeyHash.NewKey("reader1");

        public string AdminKey { get; } = ApiKeyHash.NewKey("admin1");

        public Task InitializeAsync()
        {
            UseKestrel(0);
            StartServer();
            return Task.CompletedTask;
        }

        Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

        public HttpClient With(string key)
        {
            var client = CreateClient();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            return client;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseOwnLoopbackSilo("stream-limits");
            builder.UseSetting("Oee:Api:Security:MaxEventStreamsPerKey", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (key, role) in new[] { (ReaderKey, OeeRoles.Reader), (AdminKey, OeeRoles.Admin) })
            {
                var id = ApiKeyHash.KeyIdOf(key)!;
                builder.UseSetting($"Oee:Api:Security:Keys:{id}:Hash", ApiKeyHash.Hash(key));
                builder.UseSetting($"Oee:Api:Security:Keys:{id}:Role", role);
            }
        }
    }

    private sealed class KeylessApi : WebApplicationFactory<Program>
    {
        public void Start()
        {
            UseKestrel(0);
            StartServer();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseOwnLoopbackSilo("stream-limits-keyless");
            builder.UseSetting("Oee:Api:Security:MaxEventStreamsPerKey", "1");
        }
    }
}
