using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Oee.Tests.Shared;

namespace Oee.Api.Tests.Errors;

/// <summary>
/// A batch submitted while the API's PostgreSQL database takes no connections: its tasks answer <c>failed</c> with a
/// fixed detail (submit again with the same id, and the request's traceId), never the provider's words (they named the
/// database, and for a server that is gone its address); the API logs the cause at Warning with that traceId. After
/// the outage the same batch goes through. Its own database: no other test shares the one it closes.
/// </summary>
public sealed partial class BatchFailuresTests : IAsyncLifetime
{
    private readonly TestDatabase database = new();
    private readonly CapturedLogs logs = new("Oee.Api.Errors");
    private DurableApi api = null!;

    public async Task InitializeAsync()
    {
        await database.CreateAsync();
        api = new DurableApi(database.ConnectionString, logs);
        api.Start();
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task A_failed_task_of_a_batch_says_to_submit_it_again_and_its_cause_is_logged_under_the_traceId()
    {
        using var http = api.CreateClient();
        var warmUp = (await (await http.PostJson("/api/tasks", """{"name":"warm-up","handler":"echo","input":1}""")).Json()).GetProperty("id").GetString()!;
        await http.WaitForStatus(warmUp, "done");
        var ids = new[] { $"outage-a-{Guid.NewGuid():N}", $"outage-b-{Guid.NewGuid():N}" };
        var batch = $$"""{"tasks":[{{string.Join(",", ids.Select(id => $$$"""{"id":"{{{id}}}","name":"during","handler":"echo","input":2}"""))}}]}""";

        JsonElement answer;
        await database.SetConnectionsAllowed(false);
        try
        {
            using var response = await http.PostJson("/api/tasks/batch", batch);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            answer = await response.Json();
        }
        finally
        {
            await database.SetConnectionsAllowed(true);
        }

        Assert.Equal(ids.Length, answer.GetProperty("failed").GetInt32());
        foreach (var result in answer.GetProperty("results").EnumerateArray())
        {
            Assert.Equal("failed", result.GetProperty("status").GetString());
            var detail = result.GetProperty("detail").GetString()!;
            Assert.Contains("Submit it again with the same id", detail, StringComparison.Ordinal);
            Assert.DoesNotContain(database.Name, detail, StringComparison.Ordinal);
            Assert.DoesNotContain("Npgsql", detail, StringComparison.Ordinal);
            Assert.DoesNotContain("connections", detail, StringComparison.Ordinal);

            // The cause, with the provider's words, is in the log under the traceId the detail gives.
            var traceId = TraceIdIn().Match(detail).Groups[1].Value;
            Assert.NotEmpty(traceId);
            Assert.Contains(logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains(traceId, StringComparison.Ordinal) && l.Message.Contains(database.Name, StringComparison.Ordinal));
        }

        // The caller does as told: the same batch, until the database answers again.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            using var again = await http.PostJson("/api/tasks/batch", batch);
            var statuses = again.IsSuccessStatusCode
                ? (await again.Json()).GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()).ToList()
                : [$"{(int)again.StatusCode}"];
            if (statuses.All(s => s is "created" or "existing"))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the batch still fails after the outage: {string.Join(", ", statuses)}");
            await Task.Delay(200);
        }

        foreach (var id in ids)
        {
            await http.WaitForStatus(id, "done", seconds: 90);
        }
    }

    [GeneratedRegex(@"traceId (\S+)\.$")]
    private static partial Regex TraceIdIn();

    private sealed class DurableApi(string connectionString, CapturedLogs logs) : WebApplicationFactory<Program>
    {
        public void Start()
        {
            UseKestrel(0);
            StartServer();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseOwnLoopbackSilo("batch-failures");
            builder.UseSetting("Oee:PostgreSql:ConnectionString", connectionString);
            builder.ConfigureServices(logs.AddTo);
        }
    }
}
