using System.Globalization;
using System.Net;
using Oee.Tests.Shared;

namespace Oee.EndToEnd.Tests;

/// <summary>
/// A starting silo's <c>/health/ready</c> is 503 until it has joined the cluster. The join is held back
/// by the cluster, not by a clock: a joining silo must reach every Active silo before it may join, and
/// the only Active silo is frozen (SIGSTOP) until the test has seen the joiner's not-ready answer (Orleans
/// would evict the frozen silo only once its membership row is 90 s stale: far more than the joiner needs
/// to answer, even on a slow machine). Then the frozen silo runs on, and the joiner turns ready. Fails if
/// readiness ignored membership (the first answer would be 200) or if the endpoint started only after
/// the join (no answer while held, then 200): both checked by breaking the silo on purpose.
/// </summary>
public sealed class SiloReadinessTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_starting_silo_is_live_and_not_ready_until_it_has_joined_the_cluster()
    {
        await using var deployment = await OeeDeployment.Create();
        var httpA = LoopbackPorts.Next();
        var httpB = LoopbackPorts.Next();
        using var siloA = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpA}"), Timeout = TimeSpan.FromSeconds(30) };
        using var siloB = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpB}"), Timeout = TimeSpan.FromSeconds(30) };
        var first = deployment.StartSilo("silo-a", "--Oee:Silo:HttpPort", httpA.ToString(CultureInfo.InvariantCulture));
        var frozen = false;
        try
        {
            var (status, _) = await FirstAnswer(siloA, first, "/health/ready", s => s == HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.OK, status);

            await first.Freeze();
            frozen = true;
            var joining = deployment.StartSilo("silo-b", "--Oee:Silo:HttpPort", httpB.ToString(CultureInfo.InvariantCulture));

            // Its very first answer, while it cannot have joined: live, not ready, because of membership alone.
            var (notReady, body) = await FirstAnswer(siloB, joining, "/health/ready", _ => true);
            Assert.True(notReady == HttpStatusCode.ServiceUnavailable, $"expected 503 while joining, got {(int)notReady}: {body}");
            Assert.Contains("silo: Unhealthy", body, StringComparison.Ordinal);
            Assert.Contains("database: Healthy", body, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await siloB.GetAsync("/health/live")).StatusCode);

            // Still held back a moment later (the join waits for the frozen silo, never for a clock).
            using (var again = await siloB.GetAsync("/health/ready"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, again.StatusCode);
            }

            await first.Resume();
            frozen = false;
            var (ready, readyBody) = await FirstAnswer(siloB, joining, "/health/ready", s => s == HttpStatusCode.OK);
            Assert.True(ready == HttpStatusCode.OK, readyBody);
            Assert.Contains("silo: Healthy", readyBody, StringComparison.Ordinal);
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex}\n\n{deployment.Logs()}");
        }
        finally
        {
            if (frozen)
            {
                await first.Resume();
            }
        }
    }

    /// <summary>Polls until the endpoint answers with a status the condition accepts; connection failures (not listening yet) are retried.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> FirstAnswer(HttpClient http, OeeProcess process, string path, Func<HttpStatusCode, bool> accept)
    {
        var deadline = DateTime.UtcNow + Deadline;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited; its log ends:\n{process.LogTail(20)}");
            }

            try
            {
                using var response = await http.GetAsync(path);
                var body = await response.Content.ReadAsStringAsync();
                last = $"{(int)response.StatusCode}: {body}";
                if (accept(response.StatusCode))
                {
                    return (response.StatusCode, body);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.Message;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{http.BaseAddress}{path} gave no accepted answer within {Deadline}; last: {last}");
    }
}
