using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Oee.Benchmarks.Measurement;
using Oee.Grains.Models;
using Oee.Tests.Shared;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// <c>modelcall</c>: calls of one <c>openai</c> catalog model through OEE's model caller
/// (Microsoft.Extensions.AI over the OpenAI client, the resilience pipeline, pricing) against the loopback
/// fake model server with a fixed latency (<c>--delay-ms</c>), <c>--concurrency</c> at once; in the same run,
/// as many plain <see cref="HttpClient"/> POSTs of a chat-completions body to the same server at the same
/// concurrency. The figure to read is the caller's overhead per call (mean latency minus the plain one).
/// </summary>
internal sealed class ModelCallScenario : IScenario
{
    public const int DefaultCount = 2000;

    public string Name => "modelcall";

    public string Summary => "openai model calls through the model caller vs plain HTTP posts, loopback fake server with --delay-ms latency: calls/s and overhead per call";

    public async Task<IReadOnlyList<Figure>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var count = options.Count ?? DefaultCount;
        await using var server = await FakeModelServer.StartAsync(TimeSpan.FromMilliseconds(options.DelayMs));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oee:Models:bench:Kind"] = "openai",
            ["Oee:Models:bench:Endpoint"] = server.Endpoint,
            ["Oee:Models:bench:Model"] = "echo",
            ["Oee:Models:bench:Capabilities:0"] = "summarize",
            ["Oee:Models:bench:MaxRetries"] = "0",
            ["Oee:Models:bench:Pricing:PerThousandOutputTokens"] = "1",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOeeModels(configuration);
        await using var provider = services.BuildServiceProvider();
        var caller = provider.GetRequiredService<IModelCaller>();
        using var http = new HttpClient { BaseAddress = new Uri(server.Endpoint + "/") };
        context.Say($"{Name}: fake server at {server.Endpoint}, latency {options.DelayMs} ms, {count} calls per run, {options.Concurrency} at once");

        var series = await Repetition.RunAsync(
            context,
            Name,
            options.Warmups,
            options.Runs,
            async (run, ct) =>
            {
                var prompt = $"Summarize run {run}: the quick brown fox jumps over the lazy dog.";
                var viaCaller = await TimeAsync(count, options.Concurrency, async () =>
                {
                    var reply = await caller.CallAsync("bench", new ModelPrompt { Prompt = prompt, MaxOutputTokens = 64 }, ct);
                    if (reply.Output.Length == 0)
                    {
                        throw new InvalidOperationException("empty answer");
                    }
                }, ct);
                var body = $$"""{"model":"echo","messages":[{"role":"user","content":"{{prompt}}"}],"max_tokens":64}""";
                var plain = await TimeAsync(count, options.Concurrency, async () =>
                {
                    using var response = await http.PostAsync("chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), ct);
                    response.EnsureSuccessStatusCode();
                    await response.Content.ReadAsStringAsync(ct);
                }, ct);
                return
                [
                    new Measure("caller throughput", count / viaCaller.Elapsed.TotalSeconds, "calls/s"),
                    new Measure("plain HTTP throughput", count / plain.Elapsed.TotalSeconds, "calls/s"),
                    new Measure("caller overhead per call", viaCaller.MeanMs - plain.MeanMs, "ms"),
                    new Measure("caller mean latency", viaCaller.MeanMs, "ms"),
                    new Measure("plain mean latency", plain.MeanMs, "ms"),
                ];
            },
            cancellationToken);
        return [.. series.ToFigures(Name, new Dictionary<string, string>
        {
            ["count"] = count.ToString(CultureInfo.InvariantCulture),
            ["concurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
            ["latencyMs"] = options.DelayMs.ToString(CultureInfo.InvariantCulture),
        }, includeCold: true)];
    }

    /// <summary>Runs <paramref name="count"/> calls, <paramref name="concurrency"/> at once: the elapsed time and the mean call latency.</summary>
    private static async Task<(TimeSpan Elapsed, double MeanMs)> TimeAsync(int count, int concurrency, Func<Task> call, CancellationToken cancellationToken)
    {
        long totalTicks = 0;
        var start = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (_, _) =>
        {
            var began = Stopwatch.GetTimestamp();
            await call();
            Interlocked.Add(ref totalTicks, Stopwatch.GetTimestamp() - began);
        });
        var elapsed = Stopwatch.GetElapsedTime(start);
        return (elapsed, totalTicks * 1000.0 / Stopwatch.Frequency / count);
    }
}
