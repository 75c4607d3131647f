using System.Diagnostics;
using System.Text;
using Oee.Benchmarks.Hosting;
using Oee.Benchmarks.Load;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Scenarios;
using Oee.Benchmarks.Targets;
using Oee.Tests.Shared;

namespace Oee.Benchmarks.Floor;

/// <summary>
/// The floor of the REST modes: the same submits the <c>rest</c> and <c>rest-h2</c> targets send (the same body,
/// <c>Prefer: return=minimal</c>, the same HTTP client, connections and requests in flight), to a server process
/// that does nothing but HTTP (<see cref="HttpFloorServer"/>). Requests/s and the CPU per request of the server
/// process and of this one: what HTTP alone costs a submit here. With the cores saturated, REST's tasks/s over the
/// in-process drain's cannot exceed in-process CPU / (in-process CPU + this floor's CPU), the REST ceiling that
/// <see cref="Comparison.Ratios"/> reports beside the measured ratio.
/// </summary>
internal static class HttpFloorDrain
{
    public const string Http1Mode = "http-floor";
    public const string Http2Mode = "http-floor-h2";

    public static async Task<IEnumerable<Figure>> MeasureAsync(BenchContext context, string scenario, bool http2, int count, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var mode = http2 ? Http2Mode : Http1Mode;
        var url = $"http://127.0.0.1:{LoopbackPorts.Next()}";
        context.Say($"{scenario} {mode}: starting the bare HTTP server");
        await using var server = ChildProcess.StartSelf(
            mode, [HttpFloorServer.Command, url, http2 ? "http2" : "http1"], context.LogDir,
            new Dictionary<string, string> { ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0" }); // as the API's runtimeconfig
        using var http = RestTarget.CreateClient(url, options.Concurrency, http2);
        await Readiness.WaitForHttpOkAsync(server, http, "/health", cancellationToken);
        var body = Encoding.UTF8.GetBytes(RestTarget.TaskJson(context.QueueName($"{scenario}-{mode}"), BenchTask.Echo, BenchTask.EmptyInput));
        context.Say($"{scenario} {mode}: a server process that only answers POST /api/tasks with 201 + Location, {(http2 ? "HTTP/2 on one connection" : $"HTTP/1.1 on {options.Concurrency} connections")}; {count} submits per run, {options.Concurrency} in flight");
        var series = await Repetition.RunAsync(
            context,
            $"{scenario} {mode}",
            options.Warmups,
            options.Runs,
            (_, ct) => RunOnceAsync(http, body, server.Id, count, options.Concurrency, ct),
            cancellationToken);
        var parameters = DrainScenario.DrainParameters(mode, count, options.Concurrency);
        return series.ToFigures(scenario, parameters, includeCold: false);
    }

    private static async Task<IReadOnlyList<Measure>> RunOnceAsync(HttpClient http, byte[] body, int serverId, int count, int concurrency, CancellationToken cancellationToken)
    {
        var others = ForeignCpu.Start([serverId]);
        var cost = SplitCpuCost.Start([serverId]);
        var start = Stopwatch.GetTimestamp();
        await CallLoop.RunAsync(
            count,
            concurrency,
            async (_, ct) =>
            {
                using var response = await RestTarget.PostTaskAsync(http, body, ct);
                if (response.Headers.Location is null)
                {
                    throw new InvalidOperationException("The HTTP floor's server answered without a Location header.");
                }
            },
            cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var (_, otherCores) = others.Stop();
        return
        [
            new Measure("throughput", count / elapsed.TotalSeconds, "tasks/s"),
            new Measure("other processes' CPU", otherCores, "cores"),
            .. cost.Stop(count),
        ];
    }
}
