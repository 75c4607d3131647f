namespace Oee.Grains.Cluster.Placement;

/// <summary>
/// Deadlines for grain placements, one cancellation source shared by every placement that begins within one
/// window. Orleans' own placement pipeline takes a pooled cancellation source and sets its timer for every
/// placement (every new task is a new grain), though a placement on a silo that owns the grain's directory entry
/// ends before its first await. Here the placements that begin within one <see cref="Window"/> share a source that
/// cancels <c>timeout + window</c> after the window opened, so each placement's deadline falls between
/// <c>timeout</c> and <c>timeout + window</c> after it began: at Orleans' default of 30 s, within one more second.
/// A window's source is also cancelled when the token of the placements it serves is (Orleans passes its
/// placement service's stop token), by one registration per window.
/// </summary>
internal sealed class PlacementDeadlines
{
    // A window is this share of the timeout (the slack a deadline may have), and never shorter than 1 ms.
    private const int WindowsPerTimeout = 30;

    private readonly TimeProvider time;
    private readonly TimeSpan cancelAfter;
    private readonly long windowTimestamps;
    private readonly Lock gate = new();
    private Window? current;

    public PlacementDeadlines(TimeProvider time, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        this.time = time;
        WindowLength = TimeSpan.FromTicks(Math.Max(timeout.Ticks / WindowsPerTimeout, TimeSpan.TicksPerMillisecond));
        cancelAfter = timeout + WindowLength;
        windowTimestamps = Math.Max(1, (long)(WindowLength.TotalSeconds * time.TimestampFrequency));
    }

    /// <summary>How long one shared deadline takes new placements: the most a deadline may come after its timeout.</summary>
    public TimeSpan WindowLength { get; }

    /// <summary>
    /// A token cancelled once the timeout (and at most one window more) has passed from now, or when
    /// <paramref name="outer"/> is cancelled.
    /// </summary>
    public CancellationToken For(CancellationToken outer)
    {
        var now = time.GetTimestamp();
        var window = Volatile.Read(ref current);
        return window is not null && window.Serves(outer, now) ? window.Token : Open(outer, now);
    }

    private CancellationToken Open(CancellationToken outer, long now)
    {
        lock (gate)
        {
            var window = current;
            if (window is null || !window.Serves(outer, now))
            {
                window = new Window(outer, now + windowTimestamps, cancelAfter, time);
                Volatile.Write(ref current, window);
            }

            return window.Token;
        }
    }

    private sealed class Window
    {
        private readonly CancellationToken outer;
        private readonly long openUntil;
        private readonly CancellationTokenRegistration outerLink;

        public Window(CancellationToken outer, long openUntil, TimeSpan cancelAfter, TimeProvider time)
        {
            this.outer = outer;
            this.openUntil = openUntil;
            var source = new CancellationTokenSource(cancelAfter, time);
            Token = source.Token;
            outerLink = outer.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source);

            // Once the deadline has passed (or the outer token fired) nothing more needs the link.
            Token.UnsafeRegister(static s => ((Window)s!).outerLink.Dispose(), this);
        }

        public CancellationToken Token { get; }

        public bool Serves(CancellationToken placementToken, long now) => now < openUntil && placementToken == outer;
    }
}
