using System.Net;
using System.Net.Http.Headers;
using Oee.Grains.Models;

namespace Oee.Grains.Tests.Models;

public sealed class RetryAfterDelayTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(30);

    private static HttpResponseMessage TooMany(RetryConditionHeaderValue? retryAfter) => new(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = retryAfter } };

    [Fact]
    public void A_wait_in_seconds_is_honoured_up_to_the_ceiling()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), RetryAfterDelay.Of(TooMany(new RetryConditionHeaderValue(TimeSpan.FromSeconds(2))), Now, Ceiling));
        Assert.Equal(Ceiling, RetryAfterDelay.Of(TooMany(new RetryConditionHeaderValue(TimeSpan.FromHours(1))), Now, Ceiling));
    }

    [Fact]
    public void A_date_counts_from_now_and_one_already_past_is_no_wait()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), RetryAfterDelay.Of(TooMany(new RetryConditionHeaderValue(Now.AddSeconds(10))), Now, Ceiling));
        Assert.Equal(Ceiling, RetryAfterDelay.Of(TooMany(new RetryConditionHeaderValue(Now.AddDays(1))), Now, Ceiling));
        Assert.Equal(TimeSpan.Zero, RetryAfterDelay.Of(TooMany(new RetryConditionHeaderValue(Now.AddSeconds(-10))), Now, Ceiling));
    }

    [Fact]
    public void Without_the_header_or_a_response_the_backoff_decides() =>
        Assert.Equal([null, null], new[] { RetryAfterDelay.Of(TooMany(null), Now, Ceiling), RetryAfterDelay.Of(null, Now, Ceiling) });
}
