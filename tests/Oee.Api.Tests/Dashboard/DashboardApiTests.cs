using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Oee.Api.Tests.Dashboard;

[Collection(ApiCollection.Name)]
public sealed class DashboardApiTests(ApiFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task The_page_and_its_modules_are_served_at_the_root()
    {
        var page = await Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("js/app.js", html, StringComparison.Ordinal);

        foreach (var asset in new[] { "/style.css", "/js/app.js", "/js/api.js", "/js/overview.js", "/js/tasks.js", "/js/task.js", "/js/submit.js", "/js/charts.js" })
        {
            var response = await Http.GetAsync(asset);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task Handlers_lists_the_built_in_ones_with_their_input_shapes()
    {
        var handlers = await Http.GetFromJsonAsync<JsonElement>("/api/handlers");
        var byName = handlers.EnumerateArray().ToDictionary(h => h.GetProperty("name").GetString()!);
        Assert.Equal(["delay", "echo", "fail"], byName.Keys.Order(StringComparer.Ordinal).Where(n => n is "delay" or "echo" or "fail"));
        Assert.Contains("\"ms\"", byName["delay"].GetProperty("inputShape").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, byName["echo"].GetProperty("inputShape").ValueKind);
        var names = handlers.EnumerateArray().Select(h => h.GetProperty("name").GetString()).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public async Task History_reports_its_window_and_samples_the_queues()
    {
        var queue = $"hist-{Guid.NewGuid():N}";
        await Http.PostJson("/api/tasks", $$"""{"name":"h","handler":"echo","queue":"{{queue}}"}""");

        // The fixture samples every second: wait (generously) for a sample that includes the new queue.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement history;
        do
        {
            history = await Http.GetFromJsonAsync<JsonElement>("/api/dashboard/history");
            if (history.GetProperty("samples").EnumerateArray().Any(s => s.GetProperty("queues").TryGetProperty(queue, out _)))
            {
                break;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(1, history.GetProperty("intervalSeconds").GetDouble());
        Assert.Equal(600, history.GetProperty("windowSeconds").GetDouble());
        var sample = history.GetProperty("samples").EnumerateArray().Last(s => s.GetProperty("queues").TryGetProperty(queue, out _));
        var entry = sample.GetProperty("queues").GetProperty(queue);
        Assert.True(entry.GetProperty("pending").GetInt32() + entry.GetProperty("running").GetInt32() <= 1);
        Assert.True(sample.GetProperty("finishedPerSecond").GetDouble() >= 0);
    }
}
