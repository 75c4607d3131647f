using System.Net;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Webhooks;

namespace Oee.Grains.Tests.Webhooks;

public sealed class WebhookTargetsTests
{
    private static WebhookTargets Targets(bool allowPrivate = false, params string[] hosts) =>
        new(Options.Create(new OeeWebhookOptions { AllowedHosts = hosts, AllowPrivateAddresses = allowPrivate, Secret = "0123456789abcdef" }));

    [Fact]
    public void With_no_allowed_host_every_callback_is_refused_naming_the_setting()
    {
        var error = Targets().Check("https://example.com/hook");
        Assert.Equal("callbackUrl", error!.Field);
        Assert.Contains("Oee:Webhooks:AllowedHosts", error.Message);
    }

    [Theory]
    [InlineData("https://hooks.example.com/x", null)]
    [InlineData("https://a.b.example.org/x", null)]
    [InlineData("https://evil.com/x", "not among")]
    [InlineData("ftp://hooks.example.com/x", "http or https")]
    [InlineData("https://user:pw@hooks.example.com/x", "http or https")]
    [InlineData("/relative", "http or https")]
    public void Hosts_must_be_allowed_by_name_or_wildcard(string url, string? error)
    {
        var found = Targets(false, "hooks.example.com", "*.example.org").Check(url);
        if (error is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(error, found!.Message);
        }
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.20.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("fd00::1")]
    [InlineData("fe80::1")]
    [InlineData("::ffff:10.0.0.1")]
    public void Loopback_private_and_link_local_addresses_are_not_public(string address)
    {
        Assert.False(WebhookTargets.IsPublic(IPAddress.Parse(address)));
        Assert.False(Targets(false, address).IsAllowedAddress(IPAddress.Parse(address)));
        Assert.True(Targets(true, address).IsAllowedAddress(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946")]
    public void Public_addresses_are_public(string address) => Assert.True(WebhookTargets.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public void An_allowed_literal_private_address_is_refused_at_submit_unless_private_addresses_are_allowed()
    {
        Assert.Contains("Oee:Webhooks:AllowPrivateAddresses", Targets(false, "127.0.0.1").Check("http://127.0.0.1:9000/hook")!.Message);
        Assert.Null(Targets(true, "127.0.0.1").Check("http://127.0.0.1:9000/hook"));
    }

    [Fact]
    public void The_options_validator_requires_a_secret_once_a_host_is_allowed_and_never_shows_it()
    {
        var validator = new OeeWebhookOptionsValidator();
        var missing = validator.Validate(null, new OeeWebhookOptions { AllowedHosts = ["example.com"] });
        Assert.True(missing.Failed);
        Assert.Contains("Oee:Webhooks:Secret", missing.FailureMessage);
        var options = new OeeWebhookOptions { AllowedHosts = ["example.com"], Secret = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=" };
        Assert.True(validator.Validate(null, options).Succeeded);
        Assert.DoesNotContain("whsec", options.ToString());
    }
}
