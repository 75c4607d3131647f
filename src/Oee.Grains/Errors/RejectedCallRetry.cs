using Orleans.Runtime;
using Polly;
using Polly.Retry;

namespace Oee.Grains.Errors;

/// <summary>
/// Sends a call again when Orleans rejected its message before any grain ran it: most often a task
/// grain that deactivated (its final state is recorded, then it leaves memory) while the message was
/// on its way, forwarded to an activation that was itself deactivating, and rejected after
/// Orleans' forward limit ("Forwarding failed ... Retry later"). Such a call never ran, so sending it
/// again is safe for writes too; a caller would otherwise get a 503 for a task that is simply there.
/// A dead silo (<see cref="SiloUnavailableException"/>) is not retried here: a call to it may have run.
/// </summary>
internal static class RejectedCallRetry
{
    /// <summary>At most this many sends after the first; the waits between them grow from 20 ms with jitter.</summary>
    public const int MaxRetries = 4;

    private static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<OrleansMessageRejectionException>(IsRejectedBeforeRunning),
            MaxRetryAttempts = MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(20),
            UseJitter = true,
        })
        .Build();

    /// <summary>Runs <paramref name="call"/>, again after a rejection of its message (see the type's remarks).</summary>
    public static Task<T> Run<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        Pipeline.ExecuteAsync(static async (call, token) => await call(token), call, cancellationToken).AsTask();

    /// <summary>A rejection of the message itself: a dead silo's is not, since a call to it may have run.</summary>
    public static bool IsRejectedBeforeRunning(OrleansMessageRejectionException exception) => exception is not SiloUnavailableException;
}
