using Oee.Grains.Contracts;
using Oee.Grains.Schedules;

namespace Oee.Grains.Tests.Schedules;

public sealed class OverlapRuleTests
{
    [Theory]
    [InlineData(OeeTaskStatus.Queued, true)]
    [InlineData(OeeTaskStatus.Running, true)]
    [InlineData(OeeTaskStatus.Done, false)]
    [InlineData(OeeTaskStatus.Error, false)]
    [InlineData(OeeTaskStatus.Cancelled, false)]
    public void Skip_skips_only_while_the_previous_task_is_unfinished(OeeTaskStatus previous, bool skips)
    {
        Assert.Equal(skips, OverlapRule.Skips(OverlapPolicy.Skip, previous));
        Assert.False(OverlapRule.Skips(OverlapPolicy.Allow, previous));
    }

    [Fact]
    public void No_previous_task_never_skips()
    {
        Assert.False(OverlapRule.Skips(OverlapPolicy.Skip, null));
    }
}
