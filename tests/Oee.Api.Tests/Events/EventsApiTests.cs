using System.Net;
using System.Text.Json;

namespace Oee.Api.Tests.Events;

/// <summary>Server-Sent Events of tasks and queues over HTTP, and the webhook setting's default.</summary>
[Collection(ApiCollection.Name)]
public sealed class EventsApiTests(ApiFixture fixture)
{
    private HttpClient Http => fixture.Http;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static long Version(JsonElement data) => data.GetProperty("version").GetInt64();

    [Fact]
    public async Task A_task_stream_starts_with_a_snapshot_and_ends_after_the_final_event()
    {
        var queue = Unique("sse");
        await Http.PutJson($"/api/queues/{queue}", """{"paused":true}""");
        var id = (await (await Http.PostJson("/api/tasks", $$$"""{"name":"s","handler":"delay","queue":"{{{queue}}}","input":{"ms":100,"steps":2}}""")).Json()).GetProperty("id").GetString()!;

        await using var stream = await SseReader.OpenAsync(Http, $"/api/tasks/{id}/events");
        var snapshot = (await stream.NextAsync())!.Value;
        Assert.Equal("task", snapshot.Type);
        Assert.Null(snapshot.Id);
        Assert.Equal("snapshot", snapshot.Data.GetProperty("kind").GetString());
        Assert.Equal("queued", snapshot.Data.GetProperty("status").GetString());

        await Http.PutJson($"/api/queues/{queue}", """{"paused":false}""");
        var rest = await stream.ToEndAsync();

        Assert.Equal("done", rest[^1].Data.GetProperty("status").GetString());
        Assert.Equal("succeeded", rest[^1].Data.GetProperty("reason").GetString());
        Assert.Equal("started", rest[0].Data.GetProperty("reason").GetString());
        Assert.Contains(rest, e => e.Data.GetProperty("kind").GetString() == "progress");
        for (var i = 0; i < rest.Count; i++)
        {
            Assert.Equal(Version(snapshot.Data) + i + 1, Version(rest[i].Data));
            Assert.Equal(rest[i].Id, rest[i].Data.GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task A_dropped_task_stream_resumes_with_exactly_the_missed_events()
    {
        var queue = Unique("sse-resume");
        await Http.PutJson($"/api/queues/{queue}", """{"paused":true}""");
        var id = (await (await Http.PostJson("/api/tasks", $$$"""{"name":"r","handler":"delay","queue":"{{{queue}}}","input":{"ms":300,"steps":3}}""")).Json()).GetProperty("id").GetString()!;

        string lastId;
        long lastVersion;
        await using (var first = await SseReader.OpenAsync(Http, $"/api/tasks/{id}/events"))
        {
            await first.NextAsync(); // the snapshot
            await Http.PutJson($"/api/queues/{queue}", """{"paused":false}""");
            var started = (await first.NextAsync())!.Value;
            Assert.Equal("started", started.Data.GetProperty("reason").GetString());
            (lastId, lastVersion) = (started.Id!, Version(started.Data));
        }

        // The connection is gone; the task goes on to its end meanwhile.
        var done = await Http.WaitForStatus(id, "done");

        await using var resumed = await SseReader.OpenAsync(Http, $"/api/tasks/{id}/events", lastEventId: lastId);
        var missed = await resumed.ToEndAsync();

        Assert.NotEmpty(missed);
        Assert.All(missed, e => Assert.Equal("task", e.Type));
        Assert.DoesNotContain(missed, e => e.Data.GetProperty("kind").GetString() == "snapshot");
        Assert.Equal(Enumerable.Range(1, missed.Count).Select(i => lastVersion + i), missed.Select(e => Version(e.Data)));
        Assert.Equal(done.GetProperty("version").GetInt64(), Version(missed[^1].Data));
        Assert.All(missed, e => Assert.True(long.Parse(e.Id!) > long.Parse(lastId)));
    }

    [Fact]
    public async Task A_finished_task_s_stream_resumed_after_its_final_event_sends_the_final_snapshot_and_ends()
    {
        // As a browser's EventSource does when the server closes the stream: it reconnects with the final event's id.
        var queue = Unique("sse-final");
        await Http.PutJson($"/api/queues/{queue}", """{"paused":true}""");
        var id = (await (await Http.PostJson("/api/tasks", $$"""{"name":"f","handler":"echo","queue":"{{queue}}","input":1}""")).Json()).GetProperty("id").GetString()!;
        string finalId;
        await using (var first = await SseReader.OpenAsync(Http, $"/api/tasks/{id}/events"))
        {
            await first.NextAsync(); // the snapshot
            await Http.PutJson($"/api/queues/{queue}", """{"paused":false}""");
            var all = await first.ToEndAsync();
            Assert.Equal("done", all[^1].Data.GetProperty("status").GetString());
            finalId = all.Last(e => e.Id is not null).Id ?? throw new InvalidOperationException("No event with an id.");
        }

        // Before session 24 this stream stayed open (ToEndAsync would time out): it waited for a final event already sent.
        await using var again = await SseReader.OpenAsync(Http, $"/api/tasks/{id}/events", lastEventId: finalId);
        var resumed = await again.ToEndAsync();
        var snapshot = Assert.Single(resumed);
        Assert.Equal("snapshot", snapshot.Data.GetProperty("kind").GetString());
        Assert.Equal("done", snapshot.Data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_queue_stream_carries_only_its_queue_and_resumes_after_the_last_id()
    {
        var queue = Unique("sse-queue");
        string lastId;
        var ids = new List<string>();
        await using (var stream = await SseReader.OpenAsync(Http, $"/api/events?queue={queue}"))
        {
            ids.Add((await (await Http.PostJson("/api/tasks", $$"""{"name":"a","handler":"echo","queue":"{{queue}}"}""")).Json()).GetProperty("id").GetString()!);
            await Http.PostJson("/api/tasks", """{"name":"elsewhere","handler":"echo"}""");
            var firstTwo = new[] { (await stream.NextAsync())!.Value, (await stream.NextAsync())!.Value };
            Assert.All(firstTwo, e => Assert.Equal(queue, e.Data.GetProperty("queue").GetString()));
            lastId = firstTwo[1].Id!;
        }

        await Http.WaitForStatus(ids[0], "done");
        ids.Add((await (await Http.PostJson("/api/tasks", $$"""{"name":"b","handler":"echo","queue":"{{queue}}"}""")).Json()).GetProperty("id").GetString()!);
        await Http.WaitForStatus(ids[1], "done");

        await using var resumed = await SseReader.OpenAsync(Http, $"/api/events?queue={queue}", lastEventId: lastId);
        var missed = new List<JsonElement>();
        for (var i = 0; i < 4; i++)
        {
            missed.Add((await resumed.NextAsync())!.Value.Data);
        }

        // The first task's last event, then the second task's three.
        Assert.Equal([ids[0], ids[1], ids[1], ids[1]], missed.Select(e => e.GetProperty("taskId").GetString()));
        Assert.Equal(["succeeded", "submitted", "started", "succeeded"], missed.Select(e => e.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task An_unknown_task_stream_is_404_and_a_bad_last_event_id_is_400()
    {
        await (await Http.GetAsync($"/api/tasks/{Unique("ghost")}/events")).AssertProblem(HttpStatusCode.NotFound);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.Add("Last-Event-ID", "yesterday");
        await (await Http.SendAsync(request)).AssertInvalidField("Last-Event-ID");
    }

    [Fact]
    public async Task Many_watchers_of_one_queue_each_see_every_event_of_its_tasks()
    {
        var queue = Unique("sse-many");
        var watchers = new List<SseReader>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                watchers.Add(await SseReader.OpenAsync(Http, $"/api/events?queue={queue}"));
            }

            var body = JsonSerializer.Serialize(new { tasks = Enumerable.Range(0, 10).Select(i => new { name = $"t{i}", handler = "echo", queue }) });
            var response = await Http.PostJson("/api/tasks/batch", body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            foreach (var watcher in watchers)
            {
                var seen = new List<JsonElement>();
                for (var i = 0; i < 30; i++)
                {
                    seen.Add((await watcher.NextAsync())!.Value.Data);
                }

                Assert.Equal(10, seen.Count(e => e.GetProperty("reason").GetString() == "succeeded"));
            }
        }
        finally
        {
            foreach (var watcher in watchers)
            {
                await watcher.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_callback_url_is_refused_while_no_host_is_allowed_naming_the_setting()
    {
        var response = await Http.PostJson("/api/tasks", """{"name":"cb","handler":"echo","callbackUrl":"https://example.com/hook"}""");
        var problem = await response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains("Oee:Webhooks:AllowedHosts", problem.GetProperty("errors").GetProperty("callbackUrl")[0].GetString());
    }

    [Fact]
    public async Task A_task_shows_its_progress()
    {
        var id = (await (await Http.PostJson("/api/tasks", """{"name":"p","handler":"delay","input":{"ms":50,"steps":5}}""")).Json()).GetProperty("id").GetString()!;
        var done = await Http.WaitForStatus(id, "done");
        Assert.Equal(100, done.GetProperty("progress").GetProperty("percent").GetInt32());
        Assert.Equal("step 5 of 5", done.GetProperty("progress").GetProperty("message").GetString());
        Assert.Equal(0, done.GetProperty("webhookDeliveries").GetArrayLength());
    }
}
