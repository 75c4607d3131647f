using Oee.Grains.Contracts;
using Oee.Grains.Handlers;
using Oee.Grains.Tasks;

namespace Oee.Grains.Tests.Tasks;

/// <summary>The backoff formula: min(maxDelay, initial × multiplier^(n−1)) × (1 − jitter × u).</summary>
public sealed class RetryBackoffTests
{
    private static readonly RetryPolicy Policy = new()
    {
        InitialDelay = TimeSpan.FromSeconds(1),
        Multiplier = 2,
        MaxDelay = TimeSpan.FromSeconds(10),
        Jitter = 0.5,
    };

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 10)]
    [InlineData(60, 10)]
    [InlineData(100_000, 10)]
    public void The_base_delay_grows_by_the_multiplier_up_to_the_cap(int failedAttempt, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryBackoff.BaseDelay(Policy, failedAttempt));
    }

    [Fact]
    public void Jitter_takes_off_at_most_its_fraction_and_never_adds()
    {
        Assert.Equal(TimeSpan.FromSeconds(4), RetryBackoff.Delay(Policy, 3, sample: 0));
        Assert.Equal(TimeSpan.FromSeconds(3), RetryBackoff.Delay(Policy, 3, sample: 0.5));

        // A seeded random: every delay lies in (base × (1 − jitter), base], and the samples spread over it.
        var random = new Random(42);
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 10_000; i++)
        {
            var failedAttempt = 1 + random.Next(8);
            var baseDelay = RetryBackoff.BaseDelay(Policy, failedAttempt);
            var delay = RetryBackoff.Delay(Policy, failedAttempt, random.NextDouble());
            Assert.InRange(delay, baseDelay * 0.5, baseDelay);
            Assert.True(delay > baseDelay * 0.5 || baseDelay == TimeSpan.Zero);
            Assert.True(delay <= Policy.MaxDelay);
            if (failedAttempt >= 5)
            {
                delays.Add(delay);
            }
        }

        Assert.True(delays.Min() < TimeSpan.FromSeconds(5.5), $"the smallest capped delay was {delays.Min()}");
        Assert.True(delays.Max() > TimeSpan.FromSeconds(9.5), $"the largest capped delay was {delays.Max()}");
    }

    [Fact]
    public void Full_jitter_spreads_over_zero_to_the_base_and_out_of_range_samples_are_clamped()
    {
        var full = Policy with { Jitter = 1 };
        Assert.Equal(TimeSpan.Zero, RetryBackoff.Delay(full, 1, sample: 1));
        Assert.Equal(TimeSpan.FromSeconds(1), RetryBackoff.Delay(full, 1, sample: -3));
        Assert.Equal(TimeSpan.FromSeconds(1), RetryBackoff.Delay(full, 1, sample: double.NaN));
    }

    [Fact]
    public void Defaults_are_one_second_doubling_to_ten_minutes_with_a_fifth_of_jitter()
    {
        var resolved = new RetryPolicy().Resolved();
        Assert.Equal(RetryOn.Transient, resolved.RetryOn);
        Assert.Equal(TimeSpan.FromSeconds(1), resolved.InitialDelay);
        Assert.Equal(2, resolved.Multiplier);
        Assert.Equal(TimeSpan.FromMinutes(10), resolved.MaxDelay);
        Assert.Equal(0.2, resolved.Jitter);
        Assert.Equal(TimeSpan.FromMinutes(10), RetryBackoff.BaseDelay(new RetryPolicy(), 20));

        // An initial delay above the default cap raises the cap to it.
        Assert.Equal(TimeSpan.FromHours(1), new RetryPolicy { InitialDelay = TimeSpan.FromHours(1) }.Resolved().MaxDelay);
    }

    [Theory]
    [InlineData(RetryOn.AllFailures, true, true)]
    [InlineData(RetryOn.Transient, true, false)]
    [InlineData(RetryOn.None, false, false)]
    public void Which_failures_retry(RetryOn on, bool transientRetries, bool permanentRetries)
    {
        var policy = new RetryPolicy { RetryOn = on };
        Assert.Equal(transientRetries, RetryBackoff.Retries(policy, new TaskError("x", "System.TimeoutException")));
        Assert.Equal(permanentRetries, RetryBackoff.Retries(policy, new TaskError("x", typeof(TaskBodyFailedException).FullName!)));
        Assert.False(RetryBackoff.Retries(null, new TaskError("x", "System.TimeoutException")));
    }

    [Fact]
    public void Policy_rules_name_each_bad_field()
    {
        var errors = RetryPolicyRules.Check(new RetryPolicy
        {
            RetryOn = (RetryOn)9,
            InitialDelay = TimeSpan.FromSeconds(-1),
            Multiplier = 0.5,
            MaxDelay = TimeSpan.FromDays(31),
            Jitter = 1.5,
        });

        Assert.Equal(
            ["retry.retryOn", "retry.initialDelay", "retry.maxDelay", "retry.multiplier", "retry.jitter"],
            errors.Select(e => e.Field));
        Assert.Equal("retry.maxDelay", Assert.Single(RetryPolicyRules.Check(new RetryPolicy { InitialDelay = TimeSpan.FromMinutes(2), MaxDelay = TimeSpan.FromMinutes(1) })).Field);
        Assert.Empty(RetryPolicyRules.Check(new RetryPolicy()));
        Assert.Null(RetryPolicyRules.Normalize(new RetryPolicy { RetryOn = RetryOn.None }));
    }
}
