using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using Oee.Api.Security;
using Oee.Tests.Shared;
using static Microsoft.Playwright.Assertions;

namespace Oee.Dashboard.Tests;

/// <summary>
/// The dashboard with a tenant's key: the overview says why it shows no cluster-wide figures, and the
/// task list holds the tenant's tasks only (an admin's task beside them never shows). An API of its own.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class TenantDashboardTests(DashboardFixture fixture) : IAsyncLifetime
{
    private readonly KeyedDashboardApi api = new("tenant-dashboard", ("acmedash", OeeRoles.Submitter, "acme"), ("opsdash", OeeRoles.Admin, null));

    public Task InitializeAsync()
    {
        api.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await api.DisposeAsync();

    [Fact]
    public async Task A_tenant_key_sees_why_the_overview_is_closed_and_lists_only_its_tenants_tasks()
    {
        using var admin = new HttpClient { BaseAddress = new Uri(api.BaseUrl) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", api.Key("opsdash"));
        using var tenant = new HttpClient { BaseAddress = new Uri(api.BaseUrl) };
        tenant.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", api.Key("acmedash"));
        (await admin.PostAsync("/api/tasks", Json("""{"name":"operators-only","handler":"echo"}"""))).EnsureSuccessStatusCode();
        (await tenant.PostAsync("/api/tasks", Json("""{"name":"acme-visible","handler":"echo"}"""))).EnsureSuccessStatusCode();

        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = api.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(DashboardFixture.Timeout);
        await page.GotoAsync("/#/");
        var keyForm = page.GetByRole(AriaRole.Form, new() { Name = "API key" });
        await keyForm.GetByLabel("API key").FillAsync(api.Key("acmedash"));
        await keyForm.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Not shown to this API key");
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("tenant keys cannot read cluster-wide figures");

        await page.GotoAsync("/#/tasks");
        var table = page.Locator("#task-table");
        await Expect(table).ToContainTextAsync("acme-visible");
        await Expect(table).Not.ToContainTextAsync("operators-only");
        await DashboardFixture.ScreenshotAsync(page, "tenant-tasks");
        await context.CloseAsync();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
