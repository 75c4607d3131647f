using Microsoft.Extensions.Time.Testing;
using Oee.Grains.Cluster.Placement;

namespace Oee.Grains.Tests.Cluster.Placement;

/// <summary>Placement deadlines shared by the placements of one window.</summary>
public sealed class PlacementDeadlinesTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider time = new();
    private readonly CancellationTokenSource stop = new();

    public void Dispose() => stop.Dispose();

    [Fact]
    public void A_window_is_a_thirtieth_of_the_timeout_and_never_under_a_millisecond()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), new PlacementDeadlines(time, Timeout).WindowLength);
        Assert.Equal(TimeSpan.FromMilliseconds(1), new PlacementDeadlines(time, TimeSpan.FromMilliseconds(10)).WindowLength);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlacementDeadlines(time, TimeSpan.Zero));
    }

    [Fact]
    public void Placements_within_one_window_share_a_deadline_and_the_next_window_has_its_own()
    {
        var deadlines = new PlacementDeadlines(time, Timeout);
        var first = deadlines.For(stop.Token);

        time.Advance(deadlines.WindowLength - TimeSpan.FromMilliseconds(1));
        Assert.Equal(first, deadlines.For(stop.Token));

        time.Advance(TimeSpan.FromMilliseconds(1));
        var next = deadlines.For(stop.Token);
        Assert.NotEqual(first, next);
        Assert.Equal(next, deadlines.For(stop.Token));
    }

    [Fact]
    public void Every_placement_gets_at_least_the_timeout_and_at_most_one_window_more()
    {
        var deadlines = new PlacementDeadlines(time, Timeout);
        var openedTheWindow = deadlines.For(stop.Token);
        time.Advance(deadlines.WindowLength - TimeSpan.FromMilliseconds(1));
        var lastOfTheWindow = deadlines.For(stop.Token);
        Assert.Equal(openedTheWindow, lastOfTheWindow);

        // The last placement of the window has its whole timeout...
        time.Advance(Timeout);
        Assert.False(lastOfTheWindow.IsCancellationRequested);

        // ...and the first one no more than a window beyond its own.
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(openedTheWindow.IsCancellationRequested);
    }

    [Fact]
    public void Stopping_cancels_the_deadline_of_every_placement_under_way()
    {
        var deadlines = new PlacementDeadlines(time, Timeout);
        var older = deadlines.For(stop.Token);
        time.Advance(deadlines.WindowLength);
        var newer = deadlines.For(stop.Token);

        stop.Cancel();

        Assert.True(older.IsCancellationRequested);
        Assert.True(newer.IsCancellationRequested);
    }

    [Fact]
    public void Placements_under_another_stop_token_do_not_share_its_deadline()
    {
        var deadlines = new PlacementDeadlines(time, Timeout);
        using var otherStop = new CancellationTokenSource();
        var mine = deadlines.For(stop.Token);
        var theirs = deadlines.For(otherStop.Token);

        otherStop.Cancel();

        Assert.True(theirs.IsCancellationRequested);
        Assert.False(mine.IsCancellationRequested);
        Assert.False(deadlines.For(stop.Token).IsCancellationRequested);
    }

    [Fact]
    public void A_placement_without_a_stop_token_still_has_its_deadline()
    {
        var deadlines = new PlacementDeadlines(time, Timeout);
        var deadline = deadlines.For(CancellationToken.None);

        time.Advance(Timeout + deadlines.WindowLength);

        Assert.True(deadline.IsCancellationRequested);
    }
}
