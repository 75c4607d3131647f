using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Queues;
using Oee.Grains.Webhooks;

namespace Oee.Grains.Tests.Queues;

public sealed class QueueCallbackRulesTests
{
    private static readonly WebhookTargets Targets = new(Options.Create(new OeeWebhookOptions { AllowedHosts = ["hooks.example.com"], Secret = "a secret of at least 16 bytes" }));

    [Theory]
    [InlineData("https://hooks.example.com/oee", null)]
    [InlineData("", null)]
    [InlineData("ftp://hooks.example.com/oee", "http or https")]
    [InlineData("not a url", "http or https")]
    [InlineData("https://other.example.com/oee", "not among")]
    [InlineData("http://10.0.0.1/oee", "not among")]
    public void A_callback_url_is_checked_for_its_form_and_its_host(string url, string? reason)
    {
        var errors = QueueCallbackRules.Check(new QueueSettingsUpdate { CallbackUrl = url }, Targets);

        if (reason is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            var error = Assert.Single(errors);
            Assert.Equal("callbackUrl", error.Field);
            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_form_is_checked_without_silo_settings_too()
    {
        Assert.Equal("callbackUrl", Assert.Single(QueueSettingsRules.Check(new QueueSettingsUpdate { CallbackUrl = "mailto:x@example.com" })).Field);
        Assert.Empty(QueueSettingsRules.Check(new QueueSettingsUpdate { CallbackUrl = "https://anywhere.example.org/" }));
        Assert.Equal("callbackEvents", Assert.Single(QueueSettingsRules.Check(new QueueSettingsUpdate { CallbackEvents = (WebhookEvents)7 })).Field);
    }

    [Fact]
    public void Applying_sets_changes_and_an_empty_url_removes()
    {
        var state = new QueueSettingsState();

        Assert.True(QueueCallbackRules.Apply(new QueueSettingsUpdate { CallbackUrl = "https://hooks.example.com/a", CallbackEvents = WebhookEvents.All }, state));
        Assert.Equal(("https://hooks.example.com/a", WebhookEvents.All), (state.CallbackUrl, state.CallbackEvents));
        Assert.False(QueueCallbackRules.Apply(new QueueSettingsUpdate { CallbackUrl = "https://hooks.example.com/a" }, state));
        Assert.False(QueueCallbackRules.Apply(new QueueSettingsUpdate { MaxConcurrency = 3 }, state));
        Assert.True(QueueCallbackRules.Apply(new QueueSettingsUpdate { CallbackUrl = "" }, state));
        Assert.Null(state.CallbackUrl);
        Assert.Equal(WebhookEvents.All, state.CallbackEvents);
    }
}
