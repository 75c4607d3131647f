using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Oee.Api.Security;

namespace Oee.Api.Tests.Security;

/// <summary>
/// Requests with a key that is not valid share their address's bucket of the rate limit: a guesser meets 429 after the
/// burst. (The limiter ran after authorization, so such requests got their 401 first, without limit, each one hashed
/// and logged.) Those requests log one Warning per address a minute, the others at Debug (each one logged a Warning,
/// the limiter's 429s included: a guesser flooded the log). The 429 names the address's bucket (it said "This API key").
/// An IPv6 client is one address by its /64 network, for the bucket and the Warning (each of its 2^64 addresses had a
/// bucket and a Warning of its own). A key id no key may have, <c>anonymous</c>, is refused at start and by <c>new-key</c>.
/// </summary>
public sealed class BadKeyRateLimitTests : IAsyncLifetime
{
    private readonly LimitedApi api = new();
    private HttpClient? client;

    public Task InitializeAsync()
    {
        api.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        client?.Dispose();
        await api.DisposeAsync();
    }

    [Fact]
    public async Task Guesses_with_a_wrong_key_meet_the_rate_limit()
    {
        using var guesser = api.CreateClient();
        guesser.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.KeyHeader, ApiKeyHash.NewKey("reader1") + "x");

        // A burst of 3 at 1 per second: 30 guesses in a row cannot all pass on any machine that sends them within 25 s.
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 30 && limited is null; i++)
        {
            var response = await guesser.GetAsync("/api/system");
            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests });
            limited = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(limited);
        var problem = await limited.AssertProblem(HttpStatusCode.TooManyRequests);

        // The address's bucket refused it, not a key's (the detail said "This API key sent more requests…").
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("Requests without a valid API key are limited per client address", detail, StringComparison.Ordinal);
        Assert.Contains("(1 a second after a burst of 3)", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("This API key", detail, StringComparison.Ordinal);
        Assert.Equal((1, 3), (problem.GetProperty("requestsPerSecond").GetInt32(), problem.GetProperty("burst").GetInt32()));
        Assert.True(problem.GetProperty("retryAfterSeconds").GetInt32() >= 1);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    [Fact]
    public async Task Wrong_keys_log_one_warning_per_address_a_minute_counting_the_others()
    {
        using var guesser = api.CreateClient();
        guesser.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.KeyHeader, ApiKeyHash.NewKey("reader1") + "x");

        // Until the limiter's 429s come (the burst of 3 is spent): those requests are refused keys too.
        var statuses = new List<HttpStatusCode>();
        while (statuses.Count < 30 && (statuses.Count < 5 || !statuses.Contains(HttpStatusCode.TooManyRequests)))
        {
            using var response = await guesser.GetAsync("/api/system");
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        var warning = Assert.Single(Refusals(LogLevel.Warning));
        Assert.Contains("127.0.0.1", warning, StringComparison.Ordinal);
        Assert.Contains("(0 such refusals", warning, StringComparison.Ordinal);
        Assert.Equal(statuses.Count - 1, Refusals(LogLevel.Debug).Count);

        // A minute on, the address warns again, counting the refusals logged at Debug meanwhile.
        api.Time.Advance(RejectedKeyLogThrottle.Window);
        using (await guesser.GetAsync("/api/system"))
        {
        }

        Assert.Equal(2, Refusals(LogLevel.Warning).Count);
        Assert.Contains($"({statuses.Count - 1} such refusals from 127.0.0.1", Refusals(LogLevel.Warning)[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Addresses_of_one_IPv6_64_share_a_bucket_and_another_64_or_IPv4_address_has_its_own()
    {
        // One address of 2001:db8:1:2::/64 spends the bucket (a burst of 3).
        HttpStatusCode status = default;
        for (var i = 0; i < 30 && status != HttpStatusCode.TooManyRequests; i++)
        {
            status = await GuessFrom("2001:db8:1:2::1");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, status);

        // Every further address of that /64 is new, yet draws on the same bucket, refilled by 1 a second: ten in a row
        // cannot all pass on any machine that sends them within 9 s. (Each address had a fresh bucket of 3: all passed.)
        var sameNetwork = new List<HttpStatusCode>();
        for (var i = 2; i <= 11; i++)
        {
            sameNetwork.Add(await GuessFrom($"2001:db8:1:2::{i:x}"));
        }

        Assert.All(sameNetwork, s => Assert.Contains(s, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
        Assert.Contains(HttpStatusCode.TooManyRequests, sameNetwork);

        // Another /64 has a bucket of its own, full: its burst passes to the 401; so do two neighbouring IPv4 addresses.
        foreach (var address in new[] { "2001:db8:1:3::1", "192.0.2.7", "192.0.2.8" })
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, await GuessFrom(address));
            }
        }
    }

    [Fact]
    public async Task Wrong_keys_from_one_IPv6_64_log_one_warning_a_minute()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await GuessFrom("2001:db8:1:2::1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GuessFrom("2001:db8:1:2::2"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GuessFrom("2001:db8:1:3::1"));

        // The second address of the /64 is within its network's minute (it warned on its own).
        var warnings = Refusals(LogLevel.Warning);
        Assert.Equal(2, warnings.Count);
        Assert.Contains("Request from 2001:db8:1:2::1 refused", warnings[0], StringComparison.Ordinal);
        Assert.Contains("(0 such refusals from 2001:db8:1:2::/64 logged", warnings[0], StringComparison.Ordinal);
        Assert.Contains("(0 such refusals from 2001:db8:1:3::/64 logged", warnings[1], StringComparison.Ordinal);
        Assert.Contains("Request from 2001:db8:1:2::2 refused", Assert.Single(Refusals(LogLevel.Debug)), StringComparison.Ordinal);
    }

    // One request with a wrong key from a client address (the test host's ClientAddressOverride), its status.
    private async Task<HttpStatusCode> GuessFrom(string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/system");
        request.Headers.Add(ApiKeyAuthenticationHandler.KeyHeader, ApiKeyHash.NewKey("reader1") + "x");
        request.Headers.Add(ClientAddressOverride.Header, address);
        using var response = await Client.SendAsync(request);
        return response.StatusCode;
    }

    private HttpClient Client => client ??= api.CreateClient();

    private List<string> Refusals(LogLevel level) =>
        [.. api.Logs.Lines.Where(l => l.Level == level && l.Message.Contains("its API key is not valid", StringComparison.Ordinal)).Select(l => l.Message)];

    [Theory]
    [InlineData("anonymous")]
    [InlineData("Anonymous")]
    public void The_reserved_key_id_is_refused_by_new_key_and_at_start(string id)
    {
        var errors = new StringWriter();
        Assert.Equal(2, NewKeyCommand.Run(["new-key", "--role", "submitter", "--id", id], new StringWriter(), errors));
        Assert.Contains("reserved", errors.ToString(), StringComparison.Ordinal);

        var options = new OeeApiSecurityOptions();
        options.Keys[id] = new ApiKeyEntry { Hash = ApiKeyHash.Hash(ApiKeyHash.NewKey(id)), Role = OeeRoles.Submitter };
        var result = new OeeApiSecurityOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("reserved", result.FailureMessage, StringComparison.Ordinal);
    }

    private sealed class LimitedApi : WebApplicationFactory<Program>
    {
        /// <summary>The refused keys' log throttle's clock (the host's own clock stays the system's).</summary>
        public FakeTimeProvider Time { get; } = new();

        public CapturedLogs Logs { get; } = new("Oee.Api.Security");

        public void Start()
        {
            UseKestrel(0);
            StartServer();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseOwnLoopbackSilo("bad-key-limit");
            builder.UseSetting("Oee:Api:Security:Burst", "3");
            builder.UseSetting("Oee:Api:Security:RequestsPerSecond", "1");
            var key = ApiKeyHash.NewKey("reader1");
            builder.UseSetting("Oee:Api:Security:Keys:reader1:Hash", ApiKeyHash.Hash(key));
            builder.UseSetting("Oee:Api:Security:Keys:reader1:Role", OeeRoles.Reader);
            builder.ConfigureServices(services =>
            {
                Logs.AddTo(services);
                services.AddSingleton(new RejectedKeyLogThrottle(Time));
                ClientAddressOverride.AddTo(services);
            });
        }
    }
}
