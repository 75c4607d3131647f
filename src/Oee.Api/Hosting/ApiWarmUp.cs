using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Oee.Grains.Contracts;
using Oee.Grains.WarmUp;

namespace Oee.Api.Hosting;

/// <summary>
/// Warms the API's request pipeline up (<see cref="OeeApiWarmUpOptions"/>): after every hosted service has
/// started (the server listens, an embedded silo or a client is up) and before the host's start completes,
/// rounds of requests to the server's own loopback address that store nothing (over HTTP/1.1, or HTTP/2 when
/// that endpoint speaks only HTTP/2), then a wait until the
/// just-in-time compiler is quiet. Until it has finished, the <c>warm-up</c> check keeps <c>/health/ready</c>
/// at 503. A failure or the time limit is logged and the API serves anyway.
/// </summary>
internal sealed partial class ApiWarmUp(IServer server, IOptions<OeeApiWarmUpOptions> options, ILogger<ApiWarmUp> logger)
    : IHostedLifecycleService, IHealthCheck
{
    private const int InFlight = 16;
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    // Refused by the submit rules of every configuration (priorities run 0–10): nothing reaches a grain.
    private static readonly byte[] RefusedSubmit =
        System.Text.Encoding.UTF8.GetBytes($$"""{"name":"warm-up","handler":"echo","input":{},"priority":{{TaskLimits.MaxPriority + 1}}}""");

    private volatile bool finished;

    /// <summary>True once the warm-up has finished (or was skipped, failed or timed out).</summary>
    public bool Finished => finished;

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    async Task IHostedLifecycleService.StartedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WarmUpAsync(cancellationToken);
        }
        finally
        {
            finished = true;
        }
    }

    Task IHostedLifecycleService.StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task<HealthCheckResult> IHealthCheck.CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(finished ? HealthCheckResult.Healthy("Warmed up.") : HealthCheckResult.Unhealthy("Warming up the request pipeline (Oee:Api:WarmUp)."));

    /// <summary>Runs the warm-up per the options; returns the answers' status codes by code (empty when disabled or skipped).</summary>
    internal async Task<IReadOnlyDictionary<HttpStatusCode, int>> WarmUpAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || settings.Rounds == 0)
        {
            return new Dictionary<HttpStatusCode, int>();
        }

        if (LoopbackAddress(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []) is not { } address)
        {
            LogNoAddress(logger);
            return new Dictionary<HttpStatusCode, int>();
        }

        var outcome = await WarmUpRun.RunAsync(token => RunRounds(address, settings.Rounds, token), settings.MaxDuration, cancellationToken);
        outcome.Report(
            f => LogFailed(logger, f),
            () => LogTimedOut(logger, settings.MaxDuration),
            o => LogWarmedUp(logger, settings.Rounds, o.MethodsCompiled, o.ElapsedMs, string.Join(", ", o.Result!.Select(a => $"{(int)a.Key}×{a.Value}"))));

        return outcome.Result ?? new Dictionary<HttpStatusCode, int>();
    }

    private static async Task<Dictionary<HttpStatusCode, int>> RunRounds(Uri address, int rounds, CancellationToken cancellationToken)
    {
        using var http = new HttpClient
        {
            BaseAddress = address,
            DefaultRequestVersion = await ProtocolOf(address, cancellationToken),
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var answers = new HttpStatusCode[rounds * 2];
        await Parallel.ForAsync(0, rounds, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            using var content = new ByteArrayContent(RefusedSubmit);
            content.Headers.ContentType = JsonType;
            using (var submit = await http.PostAsync("/api/tasks", content, ct))
            {
                await submit.Content.ReadAsByteArrayAsync(ct);
                answers[2 * i] = submit.StatusCode;
            }

            using var queue = await http.GetAsync("/api/queues/" + TaskLimits.DefaultQueue, ct);
            await queue.Content.ReadAsByteArrayAsync(ct);
            answers[(2 * i) + 1] = queue.StatusCode;
        });

        if (answers.FirstOrDefault(a => (int)a >= 500) is var failed && failed != default)
        {
            throw new InvalidOperationException($"A warm-up request answered {(int)failed}.");
        }

        return answers.GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>
    /// The HTTP version the endpoint at <paramref name="address"/> speaks: HTTP/1.1, or HTTP/2 for an endpoint whose
    /// <c>Protocols</c> are <c>Http2</c> only. Cleartext HTTP/2 has no negotiation: Kestrel answers an HTTP/1.1
    /// request on such an endpoint with 400. A 400 can have other causes (host filtering, say), so HTTP/2 is chosen
    /// only when an HTTP/2 request then gets an answer; otherwise the warm-up stays on HTTP/1.1.
    /// </summary>
    private static async Task<Version> ProtocolOf(Uri address, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = address };
        try
        {
            using var http1 = Probe(HttpVersion.Version11);
            using var answer = await http.SendAsync(http1, cancellationToken);
            if (answer.StatusCode != HttpStatusCode.BadRequest)
            {
                return HttpVersion.Version11;
            }
        }
        catch (HttpRequestException)
        {
            // Dropped: try HTTP/2.
        }

        try
        {
            using var http2 = Probe(HttpVersion.Version20);
            using var _ = await http.SendAsync(http2, cancellationToken);
            return HttpVersion.Version20;
        }
        catch (HttpRequestException)
        {
            // Not HTTP/2 either: the rounds' own answers will say what is wrong.
            return HttpVersion.Version11;
        }

        static HttpRequestMessage Probe(Version version) =>
            new(HttpMethod.Get, "/api/queues/" + TaskLimits.DefaultQueue) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
    }

    /// <summary>The server's first plain-HTTP address, with a wildcard or named host replaced by 127.0.0.1; null when it has none.</summary>
    internal static Uri? LoopbackAddress(IEnumerable<string> addresses)
    {
        foreach (var address in addresses)
        {
            if (!Uri.TryCreate(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || uri.Scheme != Uri.UriSchemeHttp)
            {
                continue;
            }

            var host = uri.Host is "0.0.0.0" or "[::]" or "::" or "localhost" ? "127.0.0.1" : uri.Host;
            return new UriBuilder(uri) { Host = host, Path = "/" }.Uri;
        }

        return null;
    }
}
