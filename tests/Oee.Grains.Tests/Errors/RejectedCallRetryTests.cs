using System.Reflection;
using Oee.Grains.Errors;
using Orleans.Runtime;

namespace Oee.Grains.Tests.Errors;

/// <summary>
/// A call whose message Orleans rejected before any grain ran it (seen in CI: a task's GET forwarded
/// twice to activations that were deactivating, answered 503) is sent again; other failures are not.
/// </summary>
public sealed class RejectedCallRetryTests
{
    [Fact]
    public async Task A_rejected_call_is_sent_again_until_it_is_answered()
    {
        var sends = 0;

        var answer = await RejectedCallRetry.Run(_ => ++sends < 3 ? throw Rejection() : Task.FromResult("answered"), CancellationToken.None);

        Assert.Equal("answered", answer);
        Assert.Equal(3, sends);
    }

    [Fact]
    public async Task A_call_rejected_every_time_fails_with_the_rejection_after_the_retries_and_counts_as_cluster_unavailable()
    {
        var sends = 0;

        var error = await Assert.ThrowsAsync<OrleansMessageRejectionException>(() =>
            RejectedCallRetry.Run<string>(_ => { sends++; throw Rejection(); }, CancellationToken.None));

        Assert.Equal(1 + RejectedCallRetry.MaxRetries, sends);
        Assert.IsType<OeeClusterUnavailableException>(FaultTranslation.AtCaller(error));
    }

    [Fact]
    public async Task A_dead_silo_or_any_other_failure_is_not_sent_again()
    {
        var sends = 0;
        await Assert.ThrowsAsync<SiloUnavailableException>(() =>
            RejectedCallRetry.Run<string>(_ => { sends++; throw new SiloUnavailableException("the silo died"); }, CancellationToken.None));
        Assert.Equal(1, sends);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RejectedCallRetry.Run<string>(_ => { sends++; throw new InvalidOperationException("a bug"); }, CancellationToken.None));
        Assert.Equal(2, sends);
    }

    [Fact]
    public async Task A_cancelled_caller_stops_the_retries()
    {
        using var cancel = new CancellationTokenSource();
        var sends = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RejectedCallRetry.Run<string>(
            _ =>
            {
                sends++;
                cancel.Cancel();
                throw Rejection();
            },
            cancel.Token));

        Assert.Equal(1, sends);
    }

    [Fact]
    public async Task The_translating_run_sends_a_rejected_call_again_and_translates_what_it_gives_up_on()
    {
        var sends = 0;
        var answer = await RejectedCallRetry.RunTranslated((prefix, _) => ++sends < 3 ? throw Rejection() : Task.FromResult(prefix + "answered"), "was ", CancellationToken.None);
        Assert.Equal("was answered", answer);
        Assert.Equal(3, sends);

        sends = 0;
        await Assert.ThrowsAsync<OeeClusterUnavailableException>(() =>
            RejectedCallRetry.RunTranslated<int, string>((_, _) => { sends++; throw Rejection(); }, 0, CancellationToken.None));
        Assert.Equal(1 + RejectedCallRetry.MaxRetries, sends);

        // A dead silo is not sent again, and is translated; what has no translation passes as it is.
        sends = 0;
        await Assert.ThrowsAsync<OeeClusterUnavailableException>(() =>
            RejectedCallRetry.RunTranslated<int, string>((_, _) => { sends++; throw new SiloUnavailableException("the silo died"); }, 0, CancellationToken.None));
        Assert.Equal(1, sends);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RejectedCallRetry.RunTranslated<int, string>((_, _) => throw new InvalidOperationException("a bug"), 0, CancellationToken.None));
    }

    /// <summary>The runtime's own rejection ("Forwarding failed ... Retry later"); its constructors are internal to Orleans.</summary>
    private static OrleansMessageRejectionException Rejection() =>
        (OrleansMessageRejectionException)Activator.CreateInstance(
            typeof(OrleansMessageRejectionException),
            BindingFlags.Instance | BindingFlags.NonPublic,
            binder: null,
            args: ["Forwarding failed: tried to forward message for 2 times after \"DeactivateOnIdle was called.\" to invalid activation. Rejecting now."],
            culture: null)!;
}
