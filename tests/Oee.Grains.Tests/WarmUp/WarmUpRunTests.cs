using Oee.Grains.WarmUp;

namespace Oee.Grains.Tests.WarmUp;

/// <summary>
/// A warm-up never stops its host's start: its failure and its time limit are outcomes, which the silo's,
/// the client's and the API's warm-ups log; only the host's own cancellation (a stop) still throws.
/// </summary>
public sealed class WarmUpRunTests
{
    [Fact]
    public async Task Rounds_that_finish_give_their_result()
    {
        var outcome = await WarmUpRun.RunAsync(_ => Task.FromResult(42), TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.True(outcome.Finished);
        Assert.Equal(42, outcome.Result);
        Assert.Null(outcome.Failure);
        Assert.False(outcome.TimedOut);
    }

    [Fact]
    public async Task A_failing_round_is_the_outcome_not_an_exception()
    {
        var outcome = await WarmUpRun.RunAsync<int>(_ => throw new InvalidOperationException("no silo answered"), TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.False(outcome.Finished);
        Assert.False(outcome.TimedOut);
        Assert.Equal("no silo answered", Assert.IsType<InvalidOperationException>(outcome.Failure).Message);
        Assert.Equal(0, outcome.Result);
    }

    [Fact]
    public async Task Rounds_that_outlast_the_time_limit_end_as_timed_out()
    {
        // The rounds wait until the limit cancels them, however long that takes on this machine.
        var outcome = await WarmUpRun.RunAsync(
            async token =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return 1;
            },
            TimeSpan.FromMilliseconds(50),
            CancellationToken.None);

        Assert.True(outcome.TimedOut);
        Assert.Null(outcome.Failure);
        Assert.False(outcome.Finished);
    }

    [Fact]
    public async Task The_hosts_own_cancellation_still_throws()
    {
        using var stopping = new CancellationTokenSource();
        var run = WarmUpRun.RunAsync(
            async token =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return 1;
            },
            TimeSpan.FromMinutes(5),
            stopping.Token);

        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Theory]
    [InlineData(false, false, "finished 7")]
    [InlineData(true, false, "timed out")]
    [InlineData(false, true, "failed: no silo answered")]
    [InlineData(true, true, "failed: no silo answered")]
    public void Report_hands_the_outcome_to_the_one_report_that_fits(bool timedOut, bool failed, string expected)
    {
        var outcome = new WarmUpOutcome<int>(7, 3, 10, timedOut, failed ? new InvalidOperationException("no silo answered") : null);
        var said = new List<string>();

        outcome.Report(f => said.Add("failed: " + f.Message), () => said.Add("timed out"), o => said.Add("finished " + o.Result));

        Assert.Equal([expected], said);
    }
}
