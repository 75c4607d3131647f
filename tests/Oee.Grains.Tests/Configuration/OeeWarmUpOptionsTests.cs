using Oee.Grains.Configuration;

namespace Oee.Grains.Tests.Configuration;

public sealed class OeeWarmUpOptionsTests
{
    [Fact]
    public void The_defaults_are_on_500_rounds_256_tasks_15_seconds_and_valid()
    {
        var options = new OeeWarmUpOptions();
        Assert.True(options.Enabled);
        Assert.Equal(500, options.Rounds);
        Assert.Equal(256, options.Tasks);
        Assert.Equal(TimeSpan.FromSeconds(15), options.MaxDuration);
        Assert.True(new OeeWarmUpOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(OeeWarmUpOptionsValidator.MaxRounds + 1)]
    public void Rounds_out_of_range_are_named(int rounds)
    {
        var result = new OeeWarmUpOptionsValidator().Validate(null, new OeeWarmUpOptions { Rounds = rounds });
        Assert.True(result.Failed);
        Assert.Contains("Oee:WarmUp:Rounds", result.FailureMessage);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(OeeWarmUpOptionsValidator.MaxRounds + 1)]
    public void Tasks_out_of_range_are_named(int tasks)
    {
        var result = new OeeWarmUpOptionsValidator().Validate(null, new OeeWarmUpOptions { Tasks = tasks });
        Assert.True(result.Failed);
        Assert.Contains("Oee:WarmUp:Tasks", result.FailureMessage);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:01")]
    [InlineData("00:10:01")]
    public void A_max_duration_out_of_range_is_named(string value)
    {
        var result = new OeeWarmUpOptionsValidator().Validate(null, new OeeWarmUpOptions { MaxDuration = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) });
        Assert.True(result.Failed);
        Assert.Contains("Oee:WarmUp:MaxDuration", result.FailureMessage);
    }
}
