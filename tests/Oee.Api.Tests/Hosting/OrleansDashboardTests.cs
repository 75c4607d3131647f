using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Oee.Tests.Shared;

namespace Oee.Api.Tests.Hosting;

/// <summary>With <c>Oee:Api:OrleansDashboard</c> on, the Orleans dashboard is served under <c>/orleans</c> (and only there).</summary>
public sealed class OrleansDashboardTests : IAsyncLifetime
{
    private readonly DashboardApi api = new();

    public Task InitializeAsync() => api.InitializeAsync();

    public Task DisposeAsync() => api.DisposeAsync().AsTask();

    [Fact]
    public async Task The_dashboard_is_served_under_its_prefix_beside_the_api()
    {
        var page = await api.Http.GetAsync("/orleans/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Orleans", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        // The API and the health endpoints are unchanged by it.
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("/api/system")).StatusCode);
    }

    private sealed class DashboardApi : WebApplicationFactory<Program>
    {
        public HttpClient Http { get; private set; } = null!;

        public Task InitializeAsync()
        {
            UseKestrel(0);
            StartServer();
            Http = CreateClient();
            return Task.CompletedTask;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            var siloPort = LoopbackPorts.Next();
            builder.UseSetting("Oee:Cluster:SiloPort", siloPort.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Oee:Cluster:PrimarySiloPort", siloPort.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Oee:Cluster:GatewayPort", LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Oee:Cluster:ClusterId", $"dashboard-tests-{Guid.NewGuid():N}");
            builder.UseSetting("Oee:Api:OrleansDashboard", "true");
            builder.UseSetting("Urls", "http://127.0.0.1:0");
        }
    }
}
