using Microsoft.Extensions.Time.Testing;
using Oee.Api.Security;

namespace Oee.Api.Tests.Security;

/// <summary>
/// A refused key logs a Warning at most once a minute per address, counting the Debug lines since; the addresses
/// tracked stay within the capacity however many send.
/// </summary>
public sealed class RejectedKeyLogThrottleTests
{
    private readonly FakeTimeProvider time = new();

    [Fact]
    public void The_first_refusal_of_an_address_in_a_minute_warns_and_counts_the_others_in_the_next_warning()
    {
        var throttle = new RejectedKeyLogThrottle(time);

        Assert.Equal(RejectedKeyLogDecision.Warning("10.0.0.1", 0), throttle.Register("10.0.0.1"));
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            Assert.False(throttle.Register("10.0.0.1").IsWarning);
        }

        // Another address has its own minute.
        Assert.Equal(RejectedKeyLogDecision.Warning("10.0.0.2", 0), throttle.Register("10.0.0.2"));

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(RejectedKeyLogDecision.Warning("10.0.0.1", 5), throttle.Register("10.0.0.1"));
        Assert.False(throttle.Register("10.0.0.1").IsWarning);
    }

    [Fact]
    public void Many_addresses_are_tracked_within_the_capacity_and_the_untracked_ones_share_one_minute()
    {
        var throttle = new RejectedKeyLogThrottle(time, capacity: 4);

        var warnings = Enumerable.Range(1, 100).Select(i => throttle.Register($"10.0.1.{i}")).Where(d => d.IsWarning).ToList();

        Assert.Equal(4, throttle.Tracked);
        // The 4 tracked addresses, then one for all the others.
        Assert.Equal(5, warnings.Count);
        Assert.Equal(RejectedKeyLogDecision.Warning(RejectedKeyLogThrottle.OtherAddresses, 0), warnings[^1]);

        // A minute on, the tracked addresses' windows have passed: new addresses take their places.
        time.Advance(RejectedKeyLogThrottle.Window);
        Assert.Equal(RejectedKeyLogDecision.Warning("10.0.2.1", 0), throttle.Register("10.0.2.1"));
        Assert.Equal(RejectedKeyLogDecision.Warning("10.0.2.2", 0), throttle.Register("10.0.2.2"));
        Assert.Equal(2, throttle.Tracked);
        Assert.Equal(RejectedKeyLogDecision.Warning(RejectedKeyLogThrottle.OtherAddresses, 95), SendUntilWarning(throttle, capacity: 4));
        Assert.True(throttle.Tracked <= 4);
    }

    // Fills the table again, then one more untracked address: the shared entry's Warning, with its count since.
    private static RejectedKeyLogDecision SendUntilWarning(RejectedKeyLogThrottle throttle, int capacity)
    {
        for (var i = 3; i <= capacity; i++)
        {
            Assert.True(throttle.Register($"10.0.2.{i}").IsWarning);
        }

        return throttle.Register("10.0.3.1");
    }
}
