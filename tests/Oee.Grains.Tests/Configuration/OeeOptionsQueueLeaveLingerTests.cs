using Oee.Grains.Configuration;

namespace Oee.Grains.Tests.Configuration;

public sealed class OeeOptionsQueueLeaveLingerTests
{
    [Fact]
    public void The_leave_linger_is_off_by_default_and_a_short_one_is_valid()
    {
        var options = new OeeOptions();
        Assert.Equal(TimeSpan.Zero, options.QueueLeaveLinger);
        Assert.True(new OeeOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(new OeeOptionsValidator().Validate(null, new OeeOptions { QueueLeaveLinger = TimeSpan.FromMilliseconds(2) }).Succeeded);
    }

    [Theory]
    [InlineData("-00:00:00.001")]
    [InlineData("00:00:01.001")]
    public void A_linger_out_of_range_is_named(string value)
    {
        var result = new OeeOptionsValidator().Validate(null, new OeeOptions { QueueLeaveLinger = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) });
        Assert.True(result.Failed);
        Assert.Contains("Oee:QueueLeaveLinger", result.FailureMessage);
    }
}
