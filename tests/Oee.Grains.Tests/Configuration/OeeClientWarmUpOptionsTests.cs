using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Hosting;
using Oee.Grains.WarmUp;

namespace Oee.Grains.Tests.Configuration;

public sealed class OeeClientWarmUpOptionsTests
{
    [Fact]
    public void The_defaults_are_on_300_rounds_10_seconds_and_valid()
    {
        var options = new OeeClientWarmUpOptions();
        Assert.True(options.Enabled);
        Assert.Equal(300, options.Rounds);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MaxDuration);
        Assert.True(new OeeClientWarmUpOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(OeeClientWarmUpOptionsValidator.MaxRounds + 1)]
    public void Rounds_out_of_range_are_named(int rounds)
    {
        var result = new OeeClientWarmUpOptionsValidator().Validate(null, new OeeClientWarmUpOptions { Rounds = rounds });
        Assert.True(result.Failed);
        Assert.Contains("Oee:ClientWarmUp:Rounds", result.FailureMessage);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:01")]
    [InlineData("00:10:01")]
    public void A_max_duration_out_of_range_is_named(string value)
    {
        var result = new OeeClientWarmUpOptionsValidator().Validate(null, new OeeClientWarmUpOptions { MaxDuration = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) });
        Assert.True(result.Failed);
        Assert.Contains("Oee:ClientWarmUp:MaxDuration", result.FailureMessage);
    }

    [Fact]
    public void A_client_binds_the_section_and_runs_the_warm_up_after_orleans_client()
    {
        using var host = ClientHost(new() { ["Oee:ClientWarmUp:Enabled"] = "false", ["Oee:ClientWarmUp:Rounds"] = "7" });

        var options = host.Services.GetRequiredService<IOptions<OeeClientWarmUpOptions>>().Value;
        Assert.False(options.Enabled);
        Assert.Equal(7, options.Rounds);

        // Hosted services start in order: the warm-up must come after the services Orleans' client registers (its connection).
        var hosted = host.Services.GetServices<IHostedService>().ToList();
        var warmUp = hosted.FindIndex(s => s is ClientWarmUp);
        Assert.True(warmUp > 0, "the client warm-up is registered after Orleans' client");
        Assert.Single(hosted, s => s is ClientWarmUp);
    }

    [Fact]
    public async Task A_bad_setting_stops_the_client_at_start_naming_it()
    {
        using var host = ClientHost(new() { ["Oee:ClientWarmUp:Rounds"] = "-3" });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Oee:ClientWarmUp:Rounds", failure.Message, StringComparison.Ordinal);
    }

    private static IHost ClientHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);

        // Called twice, as a host may: still one warm-up.
        builder.UseOrleansClient(c => c.AddOeeClient(builder.Configuration).AddOeeClient(builder.Configuration));
        return builder.Build();
    }
}
