using Oee.Grains.Configuration;

namespace Oee.Grains.Tests.Configuration;

public sealed class OeeScheduleOptionsTests
{
    [Fact]
    public void The_default_misfire_threshold_is_five_seconds_and_valid()
    {
        var options = new OeeScheduleOptions();
        Assert.Equal(TimeSpan.FromSeconds(5), options.MisfireThreshold);
        Assert.True(new OeeScheduleOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:00.05")]
    [InlineData("2.00:00:00")]
    public void A_threshold_out_of_range_is_named(string value)
    {
        var result = new OeeScheduleOptionsValidator().Validate(null, new OeeScheduleOptions { MisfireThreshold = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) });
        Assert.True(result.Failed);
        Assert.Contains("Oee:Schedules:MisfireThreshold", result.FailureMessage);
    }
}
