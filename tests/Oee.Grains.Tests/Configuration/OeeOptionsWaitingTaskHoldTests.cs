using System.Globalization;
using Oee.Grains.Configuration;

namespace Oee.Grains.Tests.Configuration;

public sealed class OeeOptionsWaitingTaskHoldTests
{
    [Fact]
    public void Waiting_tasks_are_kept_within_32_MiB_for_30_seconds_by_default_and_zero_turns_it_off()
    {
        var options = new OeeOptions();
        Assert.Equal(32L * 1024 * 1024, options.WaitingTaskHoldBytes);
        Assert.Equal(TimeSpan.FromSeconds(30), options.WaitingTaskHoldTime);
        Assert.True(new OeeOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(new OeeOptionsValidator().Validate(null, new OeeOptions { WaitingTaskHoldBytes = 0 }).Succeeded);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(64L * 1024 * 1024 * 1024 + 1)]
    public void A_budget_out_of_range_is_named(long bytes)
    {
        var result = new OeeOptionsValidator().Validate(null, new OeeOptions { WaitingTaskHoldBytes = bytes });
        Assert.True(result.Failed);
        Assert.Contains("Oee:WaitingTaskHoldBytes", result.FailureMessage);
    }

    [Theory]
    [InlineData("00:00:00.099")]
    [InlineData("01:00:00.001")]
    public void A_hold_time_out_of_range_is_named(string value)
    {
        var result = new OeeOptionsValidator().Validate(null, new OeeOptions { WaitingTaskHoldTime = TimeSpan.Parse(value, CultureInfo.InvariantCulture) });
        Assert.True(result.Failed);
        Assert.Contains("Oee:WaitingTaskHoldTime", result.FailureMessage);
    }
}
