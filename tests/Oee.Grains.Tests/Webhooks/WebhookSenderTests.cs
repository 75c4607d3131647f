using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Contracts;
using Oee.Grains.Events;
using Oee.Grains.Time;
using Oee.Grains.Webhooks;
using Oee.Tests.Shared;

namespace Oee.Grains.Tests.Webhooks;

/// <summary>The webhook client as a silo builds it: the address check on the resolved name, and no retry of a refusal.</summary>
public sealed class WebhookSenderTests
{
    private static ServiceProvider Services(bool allowPrivate) => new ServiceCollection()
        .AddLogging()
        .AddKeyedSingleton(OeeClock.ServiceKey, TimeProvider.System)
        .AddOeeEventsOnSilo(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oee:Webhooks:AllowedHosts:0"] = "localhost",
            ["Oee:Webhooks:AllowPrivateAddresses"] = allowPrivate ? "true" : "false",
            ["Oee:Webhooks:Secret"] = "a secret of enough bytes",
            ["Oee:Webhooks:FirstRetryDelay"] = "00:00:00.010",
            ["Oee:Webhooks:MaxRetries"] = "2",
        }).Build())
        .BuildServiceProvider();

    private static readonly TaskEvent Final = new() { TaskId = "t", Queue = "q", Status = OeeTaskStatus.Done, Version = 3, Reason = "succeeded" };

    [Fact]
    public async Task A_host_allowed_by_name_that_resolves_to_loopback_is_refused_after_one_try()
    {
        await using var services = Services(allowPrivate: false);

        var delivery = await services.GetRequiredService<WebhookSender>().SendAsync("http://localhost:9/hook", Final, CancellationToken.None);

        Assert.False(delivery.Succeeded);
        Assert.Equal(1, delivery.Attempts);
        Assert.Null(delivery.StatusCode);
        Assert.Contains("Oee:Webhooks:AllowPrivateAddresses", delivery.Error);
        Assert.Equal("t.3", delivery.WebhookId);
    }

    [Fact]
    public async Task With_private_addresses_allowed_a_connection_failure_is_retried_and_counted()
    {
        await using var services = Services(allowPrivate: true);

        // A free port: nothing listens there, so each try fails to connect.
        var delivery = await services.GetRequiredService<WebhookSender>().SendAsync($"http://localhost:{LoopbackPorts.Next()}/hook", Final, CancellationToken.None);

        Assert.False(delivery.Succeeded);
        Assert.Equal(3, delivery.Attempts);
        Assert.DoesNotContain("AllowPrivateAddresses", delivery.Error);
    }
}
