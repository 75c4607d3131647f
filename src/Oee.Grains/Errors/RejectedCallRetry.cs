using Orleans.Runtime;

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

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(20);

    /// <summary>Runs <paramref name="call"/>, again after a rejection of its message (see the type's remarks).</summary>
    /// <remarks>
    /// A plain loop rather than a resilience pipeline: every submit of the client facade passes here, and
    /// the pipeline's context, outcome and telemetry objects per call showed in the profile of the in-process drain.
    /// </remarks>
    public static Task<T> Run<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        Retried(static (call, token) => call(token), call, translate: false, cancellationToken);

    /// <summary>
    /// As <see cref="Run{T}"/> with its failure translated as <see cref="FaultTranslation.AtCaller"/> does, in one
    /// async layer and with no closure (<paramref name="call"/> gets <paramref name="arg"/>): for the client's
    /// submits, which every task passes through, where the two layers and the closure showed in the allocations.
    /// </summary>
    public static Task<T> RunTranslated<TArg, T>(Func<TArg, CancellationToken, Task<T>> call, TArg arg, CancellationToken cancellationToken) =>
        Retried(call, arg, translate: true, cancellationToken);

    // The one retry loop of both: the call, sent again after a rejection of its message; with translate, a
    // failure it gives up on leaves as FaultTranslation.AtCaller makes it.
    private static async Task<T> Retried<TArg, T>(Func<TArg, CancellationToken, Task<T>> call, TArg arg, bool translate, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                return await call(arg, cancellationToken).ConfigureAwait(false);
            }
            catch (OrleansMessageRejectionException rejection) when (retry < MaxRetries && IsRejectedBeforeRunning(rejection))
            {
                // Sent again after the wait below.
            }
            catch (Exception exception) when (translate && FaultTranslation.AtCaller(exception) is { } fault)
            {
                throw fault;
            }

            await Task.Delay(Backoff(retry), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A rejection of the message itself: a dead silo's is not, since a call to it may have run.</summary>
    public static bool IsRejectedBeforeRunning(OrleansMessageRejectionException exception) => exception is not SiloUnavailableException;

    /// <summary>The wait before retry <paramref name="retry"/> (0-based): 20 ms doubled each time, each wait 50–100 % of that (jitter).</summary>
    internal static TimeSpan Backoff(int retry) =>
        FirstDelay * Math.Pow(2, retry) * (0.5 + (Random.Shared.NextDouble() / 2));
}
