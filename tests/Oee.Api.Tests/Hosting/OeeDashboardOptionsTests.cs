using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Oee.Api.Hosting;
using Oee.Grains.Configuration;

namespace Oee.Api.Tests.Hosting;

public sealed class OeeDashboardOptionsTests
{
    private static OeeDashboardOptions Read(Dictionary<string, string?> values) => OeeSettings.Read(
        new ConfigurationBuilder().AddInMemoryCollection(values).Build(), OeeDashboardOptions.SectionName, new OeeDashboardOptionsValidator());

    [Fact]
    public void Defaults_are_valid()
    {
        var options = Read([]);
        Assert.True(options.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(5), options.SampleInterval);
        Assert.Equal(TimeSpan.FromMinutes(10), options.HistoryWindow);
    }

    [Theory]
    [InlineData("Oee:Dashboard:SampleInterval", "00:00:00.5", "Oee:Dashboard:SampleInterval")]
    [InlineData("Oee:Dashboard:SampleInterval", "00:02:00", "Oee:Dashboard:SampleInterval")]
    [InlineData("Oee:Dashboard:HistoryWindow", "00:00:30", "Oee:Dashboard:HistoryWindow")]
    [InlineData("Oee:Dashboard:HistoryWindow", "02:00:00", "Oee:Dashboard:HistoryWindow")]
    public void A_bad_value_names_the_setting(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Read(new() { [key] = value }));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
