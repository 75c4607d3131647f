namespace Oee.Grains.Models;

/// <summary>
/// The wait a model's retry takes from a response's <c>Retry-After</c> (seconds or a date), capped at the longest wait
/// between retries. Polly's retry obeys the header without its <c>MaxDelay</c>, so a 429 saying <c>Retry-After: 3600</c>
/// held the call until its network timeout, which then reported a timeout instead of the rate limit. Capped, the retry
/// comes within the call's budget (<see cref="ModelHttpClients.CallBudget"/>), and when the server refuses it again the
/// call fails with the 429 it answered.
/// </summary>
internal static class RetryAfterDelay
{
    /// <summary>The header's wait, at most <paramref name="ceiling"/> (never negative); null when the response has none (the exponential backoff then applies).</summary>
    public static TimeSpan? Of(HttpResponseMessage? response, DateTimeOffset now, TimeSpan ceiling)
    {
        var wait = response?.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => (TimeSpan?)null,
        };

        return wait is { } asked ? Clamp(asked, ceiling) : null;
    }

    private static TimeSpan Clamp(TimeSpan wait, TimeSpan ceiling) =>
        wait < TimeSpan.Zero ? TimeSpan.Zero : wait > ceiling ? ceiling : wait;
}
