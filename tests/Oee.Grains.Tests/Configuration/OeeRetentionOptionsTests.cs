using Oee.Grains.Configuration;

namespace Oee.Grains.Tests.Configuration;

public sealed class OeeRetentionOptionsTests
{
    [Fact]
    public void The_sweep_removes_four_tasks_at_once_by_default_and_the_defaults_are_valid()
    {
        var options = new OeeRetentionOptions();
        Assert.Equal(4, options.Parallelism);
        Assert.True(new OeeRetentionOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public void A_parallelism_out_of_range_is_named(int parallelism)
    {
        var result = new OeeRetentionOptionsValidator().Validate(null, new OeeRetentionOptions { Parallelism = parallelism });
        Assert.True(result.Failed);
        Assert.Contains("Oee:Retention:Parallelism", result.FailureMessage);
    }
}
