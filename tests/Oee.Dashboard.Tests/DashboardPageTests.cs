using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Oee.Dashboard.Tests;

/// <summary>The dashboard in a real browser: every element is found by its role and accessible name.</summary>
[Collection(DashboardCollection.Name)]
public sealed partial class DashboardPageTests(DashboardFixture fixture)
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    [Fact]
    public async Task A_task_submitted_from_the_form_opens_its_page_and_its_progress_reaches_100_when_done()
    {
        var page = await fixture.NewPageAsync();
        var queue = Unique("form");
        await page.GotoAsync("/#/submit");
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Submit a task" });
        await form.GetByLabel("Name").FillAsync("resize photo");
        await Expect(form.GetByLabel("Handler")).ToContainTextAsync("delay");
        await form.GetByLabel("Handler").SelectOptionAsync("delay");
        await Expect(page.GetByText(new Regex(@"^Input: \{""ms"": n"))).ToBeVisibleAsync();
        await form.GetByLabel("Queue").FillAsync(queue);
        await form.GetByLabel("Priority").FillAsync("8");
        await form.GetByLabel("Tags").FillAsync("photos, demo");
        await form.GetByLabel("Input (JSON)").FillAsync("""{"ms": 2000, "steps": 4}""");
        await form.GetByRole(AriaRole.Button, new() { Name = "Submit task" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(TaskPageUrl());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "resize photo" })).ToBeVisibleAsync();
        var status = page.GetByRole(AriaRole.Status, new() { Name = "Task status" });
        await Expect(status).ToHaveTextAsync("done");
        var progress = page.GetByRole(AriaRole.Progressbar, new() { Name = "Progress" });
        await Expect(progress).ToHaveAttributeAsync("aria-valuenow", "100");
        await Expect(progress).ToHaveAttributeAsync("aria-valuetext", "100% step 4 of 4");   // the handler's last report, kept on the task
        await Expect(page.GetByLabel("Result")).ToContainTextAsync("2000");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel task" })).ToBeDisabledAsync();
        await DashboardFixture.ScreenshotAsync(page, "task-done");

        // What the form sent is what the service stored.
        var id = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        var task = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{id}");
        Assert.Equal(queue, task.GetProperty("queue").GetString());
        Assert.Equal(8, task.GetProperty("priority").GetInt32());
        Assert.Equal(["photos", "demo"], task.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_bad_submit_shows_the_services_field_error_beside_the_field()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/submit");
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Submit a task" });
        await form.GetByLabel("Name").FillAsync("too slow");
        await Expect(form.GetByLabel("Handler")).ToContainTextAsync("delay");
        await form.GetByLabel("Handler").SelectOptionAsync("delay");
        await form.GetByLabel("Input (JSON)").FillAsync("""{"ms": -5}""");
        await form.GetByRole(AriaRole.Button, new() { Name = "Submit task" }).ClickAsync();

        var input = form.GetByLabel("Input (JSON)");
        await Expect(input).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(input).ToHaveAccessibleDescriptionAsync(new Regex("\"ms\" must be a whole number"));
        await Expect(page).ToHaveURLAsync(new Regex("#/submit$"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Cancel_on_the_task_page_stops_a_running_task()
    {
        // 100 steps of 2 s: progress 1 % after the first, and the body runs until cancelled.
        var id = await fixture.SubmitAsync($$"""{"name":"long job","handler":"delay","queue":"{{Unique("cancel")}}","input":{"ms":200000,"steps":100} }""");
        await fixture.WaitForStatusAsync(id, "running");

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/#/tasks/{id}");
        var status = page.GetByRole(AriaRole.Status, new() { Name = "Task status" });
        await Expect(status).ToHaveTextAsync("running");
        await Expect(page.GetByText("Live: updates as they happen.")).ToBeVisibleAsync();   // the SSE stream is open
        var progress = page.GetByRole(AriaRole.Progressbar, new() { Name = "Progress" });
        await Expect(progress).ToHaveAttributeAsync("aria-valuenow", new Regex("^[1-9][0-9]?$"));
        await Expect(progress).ToHaveAttributeAsync("aria-valuetext", new Regex(@"% step \d+ of 100$"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel task" }).ClickAsync();

        await Expect(status).ToHaveTextAsync("cancelled");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Events while watching" })).ToContainTextAsync("running → cancelled");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retry task" })).ToBeEnabledAsync();
        Assert.Equal("cancelled", await fixture.StatusAsync(id));
        await DashboardFixture.ScreenshotAsync(page, "task-cancelled");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_failed_task_shows_its_error_and_retry_runs_it_again()
    {
        var id = await fixture.SubmitAsync("""{"name":"broken","handler":"fail","input":{"message":"disk full"}}""");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/#/tasks/{id}");
        await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Task status" })).ToHaveTextAsync("error");
        await Expect(page.GetByLabel("Error")).ToContainTextAsync("disk full");

        await page.GetByRole(AriaRole.Button, new() { Name = "Retry task" }).ClickAsync();
        // The retry ran a second attempt (which fails again, the handler always does).
        await Expect(page.GetByText(new Regex(@"^2 \(up to \d+ per run\)$"))).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_task_page_that_cannot_load_its_task_shows_nothing_of_the_task_before_it()
    {
        var id = await fixture.SubmitAsync("""{"name":"broken before","handler":"fail","input":{"message":"disk full"}}""");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/#/tasks/{id}");
        var status = page.GetByRole(AriaRole.Status, new() { Name = "Task status" });
        await Expect(status).ToHaveTextAsync("error");
        await Expect(page.GetByLabel("Error")).ToContainTextAsync("disk full");

        // Another id that does not exist: its message, and none of the failed task's status, error or enabled Retry
        // (before session 24 they stayed on the page under the new id).
        await page.GotoAsync($"/#/tasks/{Unique("ghost")}");
        await Expect(page.GetByText(new Regex("^No task has the id 'ghost-"))).ToBeVisibleAsync();
        await Expect(status).ToHaveTextAsync("");
        await Expect(page.GetByLabel("Error")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retry task" })).ToBeDisabledAsync();
        await Expect(page.GetByText("broken before")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_task_address_with_a_malformed_escape_shows_the_service_s_answer_and_no_script_error()
    {
        var page = await fixture.NewPageAsync();
        var scriptErrors = new List<string>();
        page.PageError += (_, error) => scriptErrors.Add(error);
        await page.GotoAsync("/#/");

        // A stray '%' made the router throw (URIError): the page stayed on the view before, with nothing said.
        await page.GotoAsync("/#/tasks/50%zz");
        await Expect(page.Locator("#task-id")).ToHaveTextAsync("50%zz");
        await Expect(page.Locator("#task-message")).Not.ToBeEmptyAsync();
        Assert.Empty(scriptErrors);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Apply_filters_with_the_filters_unchanged_reloads_the_listing_from_its_first_page()
    {
        var queue = Unique("again");
        for (var i = 0; i < 12; i++)
        {
            await fixture.SubmitAsync($$"""{"name":"again-{{i:00}}","handler":"echo","queue":"{{queue}}"}""");
        }

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/tasks");
        var filters = page.GetByRole(AriaRole.Form, new() { Name = "Task filters" });
        await filters.GetByLabel("Queue").FillAsync(queue);
        await filters.GetByLabel("Per page").SelectOptionAsync("10");
        var apply = filters.GetByRole(AriaRole.Button, new() { Name = "Apply filters" });
        await apply.ClickAsync();
        var rows = page.GetByRole(AriaRole.Table).Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(10);
        await page.GetByRole(AriaRole.Button, new() { Name = "Older" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);

        // The same filters again change no address: the listing reloads all the same (it did nothing, and an older
        // page is never refreshed on its own).
        await apply.ClickAsync();
        await Expect(rows).ToHaveCountAsync(10);
        await Expect(rows.First).ToContainTextAsync("again-11");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Without_an_event_stream_the_task_page_polls_until_done()
    {
        var page = await fixture.NewPageAsync();
        // As a service without SSE (before the events endpoints) answers: 404.
        await page.RouteAsync("**/api/tasks/*/events", route => route.FulfillAsync(new() { Status = 404, ContentType = "application/problem+json", Body = "{}" }));
        // Held in a paused queue until the page watches it, so that it is not final before the page opens.
        var queue = Unique("poll");
        (await fixture.Http.PutAsJsonAsync($"/api/queues/{queue}", new { paused = true })).EnsureSuccessStatusCode();
        var id = await fixture.SubmitAsync($$"""{"name":"polled","handler":"delay","queue":"{{queue}}","input":{"ms":1500,"steps":3} }""");
        await page.GotoAsync($"/#/tasks/{id}");
        await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Task status" })).ToHaveTextAsync("queued");
        await Expect(page.GetByText("Updates every second.")).ToBeVisibleAsync();
        (await fixture.Http.PutAsJsonAsync($"/api/queues/{queue}", new { paused = false })).EnsureSuccessStatusCode();

        await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Task status" })).ToHaveTextAsync("done");
        await Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "Progress" })).ToHaveAttributeAsync("aria-valuenow", "100");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Pausing_a_queue_from_its_card_holds_its_tasks_until_resumed()
    {
        var queue = Unique("pause");
        (await fixture.Http.PutAsJsonAsync($"/api/queues/{queue}", new { maxConcurrency = 2 })).EnsureSuccessStatusCode();

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        var card = page.GetByRole(AriaRole.Article, new() { Name = $"Queue {queue}" });
        await Expect(card.GetByLabel($"Queue {queue} state")).ToHaveTextAsync("active");
        await card.GetByRole(AriaRole.Button, new() { Name = $"Pause queue {queue}" }).ClickAsync();
        await Expect(card.GetByLabel($"Queue {queue} state")).ToHaveTextAsync("paused");
        var settings = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/queues/{queue}");
        Assert.True(settings.GetProperty("paused").GetBoolean());

        // A task submitted to the paused queue waits, shown in the card's backlog by priority.
        var id = await fixture.SubmitAsync($$"""{"name":"held","handler":"echo","queue":"{{queue}}","priority":7}""");
        await Expect(card.GetByText("p7: 1")).ToBeVisibleAsync();
        await Expect(card.GetByRole(AriaRole.Definition).First).ToHaveTextAsync("1");   // Pending
        await Expect(card).Not.ToContainTextAsync("null");
        Assert.Equal("queued", await fixture.StatusAsync(id));
        await DashboardFixture.ScreenshotAsync(page, "overview-paused-queue");

        await card.GetByRole(AriaRole.Button, new() { Name = $"Resume queue {queue}" }).ClickAsync();
        await Expect(card.GetByLabel($"Queue {queue} state")).ToHaveTextAsync("active");
        await fixture.WaitForStatusAsync(id, "done");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_task_list_filters_by_queue_and_pages_through_the_cursor()
    {
        var queue = Unique("list");
        for (var i = 0; i < 12; i++)
        {
            await fixture.SubmitAsync($$"""{"name":"item-{{i:00}}","handler":"echo","queue":"{{queue}}","tags":["batch"]}""");
        }

        await fixture.SubmitAsync("""{"name":"elsewhere","handler":"echo","tags":["batch"]}""");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/tasks");
        var filters = page.GetByRole(AriaRole.Form, new() { Name = "Task filters" });
        await filters.GetByLabel("Queue").FillAsync(queue);
        await filters.GetByLabel("Tag").FillAsync("batch");
        await filters.GetByLabel("Per page").SelectOptionAsync("10");
        await filters.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();

        var rows = page.GetByRole(AriaRole.Table).Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(10);
        await Expect(rows.First).ToContainTextAsync("item-11");   // newest first
        await page.GetByRole(AriaRole.Button, new() { Name = "Older" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Last).ToContainTextAsync("item-00");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Older" })).ToBeDisabledAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Newer" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(10);
        await Expect(page.GetByRole(AriaRole.Table)).Not.ToContainTextAsync("elsewhere");
        await DashboardFixture.ScreenshotAsync(page, "task-list");

        await rows.GetByRole(AriaRole.Link, new() { Name = "item-11" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "item-11" })).ToBeVisibleAsync();

        // A listing the service refuses (a bad filter in the address) shows its error once, and no rows of the listing
        // before it (before session 24 the earlier rows stayed under the error, and the field's words came twice).
        await page.GotoAsync($"/#/tasks?queue={queue}");
        await Expect(rows).ToHaveCountAsync(12);
        await page.GotoAsync("/#/tasks?queue=bad%20queue");
        var refused = page.Locator("#tasks-message");
        await Expect(refused).ToContainTextAsync("Queue must be");
        await Expect(rows).ToHaveCountAsync(0);
        Assert.Single(Regex.Matches(await refused.InnerTextAsync(), "Queue must be"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_every_view_fits_the_screen_width()
    {
        var queue = Unique("phone");
        var id = await fixture.SubmitAsync($$"""{"name":"phone check","handler":"echo","queue":"{{queue}}","input":{"a":1} }""");
        await fixture.WaitForStatusAsync(id, "done");
        var page = await fixture.NewPageAsync(width: 390, height: 844, mobile: true);
        foreach (var (hash, name, ready) in new (string, string, ILocator)[]
        {
            ("#/", "phone-overview", page.GetByRole(AriaRole.Article, new() { Name = $"Queue {queue}" })),
            ("#/tasks", "phone-tasks", page.GetByRole(AriaRole.Link, new() { Name = "phone check" })),
            ($"#/tasks/{id}", "phone-task", page.GetByLabel("Result")),
            ("#/submit", "phone-submit", page.GetByText(new Regex("^Input: "))),
        })
        {
            await page.GotoAsync($"/{hash}");
            await Expect(ready).ToBeVisibleAsync();
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{hash} is {overflow} px wider than the phone's screen");
            await DashboardFixture.ScreenshotAsync(page, name);
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_charts_draw_the_sampled_history()
    {
        var queue = Unique("chart");
        for (var i = 0; i < 3; i++)
        {
            await fixture.SubmitAsync($$"""{"name":"c","handler":"echo","queue":"{{queue}}"}""");
        }

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        // The history is sampled every second here; the charts refresh every 5 s.
        var throughput = page.GetByRole(AriaRole.Img, new() { Name = "Throughput" });
        await Expect(throughput).ToHaveAttributeAsync("aria-label", new Regex("^Throughput: latest finished"));
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Queue depth" })).ToHaveAttributeAsync("aria-label", new Regex("^Queue depth: latest all queues"));
        await Expect(throughput.Locator("polyline").First).ToBeAttachedAsync();
        await DashboardFixture.ScreenshotAsync(page, "overview");
        await page.Context.CloseAsync();
    }

    [GeneratedRegex(@"#/tasks/[^/]+$")]
    private static partial Regex TaskPageUrl();
}
