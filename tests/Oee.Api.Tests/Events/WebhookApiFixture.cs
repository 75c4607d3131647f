using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Oee.Tests.Shared;

namespace Oee.Api.Tests.Events;

/// <summary>
/// The API with webhooks allowed to 127.0.0.1 (private addresses allowed explicitly, as a test on
/// one machine needs), a known secret and short retry delays; a receiver started by the test listens there.
/// </summary>
public sealed class WebhookApiFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public static readonly byte[] SecretKey = "a test secret of 32 bytes length"u8.ToArray();

    public static string Secret => "whsec_" + Convert.ToBase64String(SecretKey);

    public HttpClient Http { get; private set; } = null!;

    public WebhookReceiver Receiver { get; } = new(failFirst: 1);

    public Task InitializeAsync()
    {
        UseKestrel(0);
        StartServer();
        Http = CreateClient();
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Receiver.Dispose();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var siloPort = LoopbackPorts.Next();
        var gatewayPort = LoopbackPorts.Next();
        builder.UseSetting("Oee:Cluster:SiloPort", siloPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Oee:Cluster:PrimarySiloPort", siloPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Oee:Cluster:GatewayPort", gatewayPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Oee:Cluster:ClusterId", $"webhook-tests-{Guid.NewGuid():N}");
        builder.UseSetting("Oee:Webhooks:AllowedHosts:0", "127.0.0.1");
        builder.UseSetting("Oee:Webhooks:AllowPrivateAddresses", "true");
        builder.UseSetting("Oee:Webhooks:Secret", Secret);
        builder.UseSetting("Oee:Webhooks:FirstRetryDelay", "00:00:00.050");
        builder.UseSetting("Urls", "http://127.0.0.1:0");
    }
}
