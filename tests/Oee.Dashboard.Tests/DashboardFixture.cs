using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using Oee.Tests.Shared;

namespace Oee.Dashboard.Tests;

/// <summary>
/// The real API (embedded silo, memory storage) on Kestrel at a loopback port, and Debian's
/// Chromium driven by Playwright. The browser is launched once; each test opens its own context.
/// </summary>
public sealed class DashboardFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>Debian's Chromium (package <c>chromium</c>; scripts/test.sh installs it). <c>OEE_CHROMIUM</c> overrides the path.</summary>
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("OEE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Generous: the page polls every second or gets pushed updates; a 5× slower machine still fits.</summary>
    public const float Timeout = 60_000;

    private readonly int httpPort = LoopbackPorts.Next();

    public HttpClient Http { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots go to artifacts/screenshots at the repository root (ignored by git).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(FindRoot(), "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"No Chromium at {ChromiumPath}: install Debian's package (apt-get install -y chromium; scripts/test.sh does it as root) or set OEE_CHROMIUM.");
        }

        UseKestrel(httpPort);
        StartServer();
        Http = CreateClient();
        BaseUrl = $"http://127.0.0.1:{httpPort}";
        Http.BaseAddress = new Uri(BaseUrl);
        Directory.CreateDirectory(ScreenshotDirectory);

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // As root (CI, this machine) Chromium refuses to start without --no-sandbox.
            Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
        });
        Assertions.SetDefaultExpectTimeout(Timeout);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        Playwright?.Dispose();
        await DisposeAsync();
    }

    /// <summary>A fresh browser context and page (desktop size unless given), with generous timeouts.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, bool mobile = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IsMobile = mobile,
            HasTouch = mobile,
            DeviceScaleFactor = mobile ? 2 : 1,
            ReducedMotion = ReducedMotion.Reduce,   // no animated widths in screenshots
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Timeout);
        return page;
    }

    /// <summary>Submits a task over REST; returns its id.</summary>
    public async Task<string> SubmitAsync(string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await Http.PostAsync("/api/tasks", content);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>The task's status over REST.</summary>
    public async Task<string> StatusAsync(string id) =>
        (await Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{id}")).GetProperty("status").GetString()!;

    /// <summary>Polls until the task has the status (a generous deadline); throws with the last status otherwise.</summary>
    public async Task WaitForStatusAsync(string id, string status)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(Timeout);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            last = await StatusAsync(id);
            if (last == status)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Task {id} is still {last}, not {status}, after {Timeout / 1000} s.");
    }

    /// <summary>Saves a full-page screenshot as artifacts/screenshots/{name}.png.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        UseOwnSilo(builder, "dashboard-tests", $"http://127.0.0.1:{httpPort}");
        builder.UseSetting("Oee:Dashboard:SampleInterval", "00:00:01");
    }

    /// <summary>An API host's embedded silo on free loopback ports, in a cluster of its own, listening on <paramref name="url"/>.</summary>
    internal static void UseOwnSilo(IWebHostBuilder builder, string clusterName, string url)
    {
        var siloPort = LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture);
        builder.UseSetting("Oee:Cluster:SiloPort", siloPort);
        builder.UseSetting("Oee:Cluster:PrimarySiloPort", siloPort);
        builder.UseSetting("Oee:Cluster:GatewayPort", LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Oee:Cluster:ClusterId", $"{clusterName}-{Guid.NewGuid():N}");
        builder.UseSetting("Urls", url);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Oee.Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Oee.Orleans.sln above {AppContext.BaseDirectory}.");
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
