using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Oee.Api.Security;
using Oee.Tests.Shared;
using static Microsoft.Playwright.Assertions;

namespace Oee.Dashboard.Tests;

/// <summary>
/// The dashboard of an API with keys configured: refused without a key, then used with a submitter's
/// key entered in the page (sent as X-Api-Key; the task page polls, since a live stream cannot carry it).
/// Uses the shared browser, and an API of its own.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class KeyedDashboardTests(DashboardFixture fixture) : IAsyncLifetime
{
    private readonly KeyedDashboardApi api = new("keyed-dashboard", ("dashboard1", OeeRoles.Submitter, null));

    public Task InitializeAsync()
    {
        api.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await api.DisposeAsync();

    [Fact]
    public async Task Without_a_key_the_page_says_one_is_needed_and_with_a_submitters_key_a_task_runs_to_done()
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = api.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(DashboardFixture.Timeout);

        await page.GotoAsync("/#/");
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("needs an API key");

        // A missing key is not an outage (the line read "Service unavailable: …").
        await Expect(page.Locator("#connection")).Not.ToContainTextAsync("unavailable");

        var keyForm = page.GetByRole(AriaRole.Form, new() { Name = "API key" });
        await keyForm.GetByLabel("API key").FillAsync(api.Key("dashboard1"));
        await keyForm.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        await page.GotoAsync("/#/submit");
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Submit a task" });
        await form.GetByLabel("Name").FillAsync("with a key");
        await Expect(form.GetByLabel("Handler")).ToContainTextAsync("echo");
        await form.GetByLabel("Handler").SelectOptionAsync("echo");
        await form.GetByLabel("Input (JSON)").FillAsync("""{"keyed": true}""");
        await form.GetByRole(AriaRole.Button, new() { Name = "Submit task" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("#/tasks/[^/]+$"));
        await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Task status" })).ToHaveTextAsync("done");
        await Expect(page.GetByLabel("Result")).ToContainTextAsync("keyed");
        await DashboardFixture.ScreenshotAsync(page, "keyed-task-done");
        await context.CloseAsync();
    }
}
