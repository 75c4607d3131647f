using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Oee.EndToEnd.Tests;

/// <summary>
/// Real processes on a PostgreSQL server of the test's own, which it stops under load and starts
/// again: what callers see while the database is gone, and what becomes of the work.
/// </summary>
public sealed class StorageOutageTests(ITestOutputHelper output)
{
    private const string Queue = "outage";
    private const int Submitters = 4;

    [Fact]
    public async Task While_PostgreSQL_is_down_submits_get_503_with_Retry_After_and_every_accepted_task_ends_done()
    {
        await using var postgres = await OwnPostgresServer.Start();
        await using var deployment = await OeeDeployment.Create(postgres.ConnectionString);
        deployment.StartSilo("silo-a");
        deployment.StartSilo("silo-b");
        await deployment.StartApi(expectedSilos: 2);
        var load = new SubmitLoad(deployment.Http);
        try
        {
            await deployment.Put($"/api/queues/{Queue}", """{"maxConcurrency": 100}""");
            load.Start();
            await OeeDeployment.WaitFor(() => Task.FromResult(load.Accepted.Count >= 100), TimeSpan.FromSeconds(120), "100 accepted submits before the outage");

            await postgres.Stop();
            var acceptedBeforeOutage = load.Accepted.Count;
            await OeeDeployment.WaitFor(() => Task.FromResult(load.Unavailable >= 3 * Submitters), TimeSpan.FromSeconds(120), "503s while PostgreSQL is down");
            await postgres.StartAgain();

            var refusedDuringOutage = load.Unavailable;
            var acceptedAtRestart = load.Accepted.Count;
            await OeeDeployment.WaitFor(() => Task.FromResult(load.Accepted.Count >= acceptedAtRestart + 50), TimeSpan.FromSeconds(120), "50 accepted submits after PostgreSQL is back");
            await load.Stop();

            // Every response was a 201 or a well-formed 503; no 500, no hung or failed request.
            Assert.Empty(load.Unexpected);
            Assert.True(refusedDuringOutage >= 3 * Submitters);
            Assert.All(load.Refusals, r =>
            {
                Assert.InRange(r.RetryAfterSeconds, 1, 60);
                Assert.Equal("application/problem+json", r.ContentType);
                Assert.Equal(503, r.Problem.GetProperty("status").GetInt32());
                Assert.Contains(r.Problem.GetProperty("unavailable").GetString(), new[] { "storage", "cluster" });
                // Never the database provider's words (they name the server's address and port), only what to do.
                var detail = r.Problem.GetProperty("detail").GetString();
                Assert.Contains("retry after", detail, StringComparison.Ordinal);
                Assert.DoesNotContain("127.0.0.1", detail, StringComparison.Ordinal);
                Assert.DoesNotContain("Npgsql", detail, StringComparison.Ordinal);
            });
            Assert.Contains(load.Refusals, r => r.Problem.GetProperty("unavailable").GetString() == "storage");
            Assert.True(acceptedBeforeOutage >= 100);

            // Nothing accepted is lost: every 201 ends done, those running during the outage included.
            var accepted = load.Accepted.ToArray();
            var pending = new HashSet<string>(accepted);
            await OeeDeployment.WaitFor(
                async () =>
                {
                    foreach (var id in pending.ToArray())
                    {
                        var task = await deployment.Get($"/api/tasks/{id}");
                        var status = task.GetProperty("status").GetString();
                        Assert.NotEqual("error", status);
                        Assert.NotEqual("cancelled", status);
                        if (status == "done")
                        {
                            pending.Remove(id);
                        }
                    }

                    return pending.Count == 0;
                },
                TimeSpan.FromSeconds(180),
                $"all {accepted.Length} accepted tasks to be done");
            output.WriteLine($"{accepted.Length} accepted ({acceptedBeforeOutage} before the outage), {refusedDuringOutage} answered 503 during it, all done.");
        }
        catch (Exception ex)
        {
            await load.Stop();
            try
            {
                await postgres.StartAgain();
            }
            catch (Exception restart)
            {
                throw OeeDeployment.Failure(ex, $"PostgreSQL did not start again: {restart.Message}", deployment.Logs());
            }

            throw OeeDeployment.Failure(ex, load.Summary(), await deployment.Diagnose(Queue), deployment.Logs());
        }
    }

    /// <summary>A few submitters posting tasks one after another, recording what each answer was.</summary>
    private sealed class SubmitLoad(HttpClient http)
    {
        private readonly CancellationTokenSource stop = new();
        private readonly List<Task> submitters = [];
        private int unavailable;
        private int sequence;

        public ConcurrentQueue<string> Accepted { get; } = new();

        public ConcurrentQueue<Refusal> Refusals { get; } = new();

        public ConcurrentQueue<string> Unexpected { get; } = new();

        public int Unavailable => Volatile.Read(ref unavailable);

        public void Start()
        {
            for (var i = 0; i < Submitters; i++)
            {
                submitters.Add(Task.Run(Submit));
            }
        }

        public async Task Stop()
        {
            await stop.CancelAsync();
            await Task.WhenAll(submitters);
        }

        public string Summary() =>
            $"accepted {Accepted.Count}, 503s {Unavailable}, unexpected {Unexpected.Count}:\n{string.Join('\n', Unexpected.Take(10))}";

        private async Task Submit()
        {
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref sequence);
                var body = $$$"""{"name":"outage-{{{n}}}","handler":"delay","queue":"{{{Queue}}}","priority":{{{n % 11}}},"input":{"ms":100}}""";
                try
                {
                    using var response = await http.PostAsync("/api/tasks", new StringContent(body, Encoding.UTF8, "application/json"));
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        Accepted.Enqueue(JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!);
                    }
                    else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        Interlocked.Increment(ref unavailable);
                        Refusals.Enqueue(new Refusal(
                            (int?)response.Headers.RetryAfter?.Delta?.TotalSeconds ?? -1,
                            response.Content.Headers.ContentType?.MediaType,
                            JsonDocument.Parse(text).RootElement.Clone()));
                        await Task.Delay(100);
                    }
                    else
                    {
                        Unexpected.Enqueue($"{(int)response.StatusCode}: {text}");
                    }
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    Unexpected.Enqueue($"{ex.GetType().Name}: {ex.Message}");
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    return;
                }

                await Task.Delay(25);
            }
        }
    }

    private sealed record Refusal(int RetryAfterSeconds, string? ContentType, JsonElement Problem);
}
