using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Oee.Api.Hosting;
using Oee.Grains.Configuration;

namespace Oee.Api.Tests.Hosting;

public sealed class OeeApiOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        var options = OeeSettings.Read(new ConfigurationBuilder().Build(), OeeApiOptions.SectionName, new OeeApiOptionsValidator());
        Assert.Equal(OeeApiMode.Embedded, options.Mode);
        Assert.Equal(TimeSpan.FromSeconds(5), options.HealthCheckTimeout);
    }

    [Fact]
    public void A_bad_value_names_the_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oee:Api:Mode"] = "Client",
            ["Oee:Api:HealthCheckTimeout"] = "00:10:00",
        }).Build();

        var error = Assert.Throws<OptionsValidationException>(() => OeeSettings.Read(configuration, OeeApiOptions.SectionName, new OeeApiOptionsValidator()));
        Assert.Contains("Oee:Api:HealthCheckTimeout", error.Message);
    }
}
