namespace Oee.Api.Security;

/// <summary>
/// How a refused API key is logged, so that a client guessing keys cannot flood the log (authentication runs before the
/// rate limiter, so its 429s are refused keys too): the first refusal from an address in a <see cref="Window"/> is a
/// Warning that counts the refusals from that address since its previous Warning, the others are Debug. An address is
/// the client as <see cref="ClientNetwork.Of"/> names it (an IPv6 client by its /64 network, so that a host sending from
/// many addresses of its /64 is one address here). At most
/// <see cref="Capacity"/> addresses are tracked: when that many are within their window, a new address shares one
/// entry with every other untracked address (their first refusal a minute is the Warning); an address whose window
/// has passed is dropped when room is needed (its count, only of Debug lines, with it). Thread-safe.
/// </summary>
internal sealed class RejectedKeyLogThrottle
{
    /// <summary>An address logs at most one Warning in this time.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>The number of addresses tracked by default.</summary>
    public const int DefaultCapacity = 1024;

    /// <summary>What a Warning names as its scope when the address shares the entry of the untracked ones.</summary>
    public const string OtherAddresses = "addresses beyond the tracked ones";

    private readonly TimeProvider time;
    private readonly Dictionary<string, Entry> byAddress = new(StringComparer.Ordinal);
    private Entry? others;
    private DateTimeOffset nextSweep = DateTimeOffset.MinValue;

    public RejectedKeyLogThrottle(TimeProvider time, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.time = time;
        Capacity = capacity;
    }

    /// <summary>The most addresses tracked on their own.</summary>
    public int Capacity { get; }

    /// <summary>The addresses tracked now (at most <see cref="Capacity"/>).</summary>
    public int Tracked
    {
        get
        {
            lock (byAddress)
            {
                return byAddress.Count;
            }
        }
    }

    /// <summary>Counts a refusal from <paramref name="address"/> (<see cref="ClientNetwork.Of"/>) and says how to log it.</summary>
    public RejectedKeyLogDecision Register(string address)
    {
        var now = time.GetUtcNow();
        lock (byAddress)
        {
            if (byAddress.TryGetValue(address, out var entry))
            {
                return Count(entry, now, address);
            }

            if (byAddress.Count >= Capacity)
            {
                Sweep(now);
            }

            if (byAddress.Count < Capacity)
            {
                byAddress[address] = new Entry(now);
                return RejectedKeyLogDecision.Warning(address, 0);
            }

            if (others is null)
            {
                others = new Entry(now);
                return RejectedKeyLogDecision.Warning(OtherAddresses, 0);
            }

            return Count(others, now, OtherAddresses);
        }
    }

    private static RejectedKeyLogDecision Count(Entry entry, DateTimeOffset now, string scope)
    {
        if (now - entry.WarnedAt < Window)
        {
            entry.Suppressed++;
            return RejectedKeyLogDecision.Debug;
        }

        var suppressed = entry.Suppressed;
        entry.WarnedAt = now;
        entry.Suppressed = 0;
        return RejectedKeyLogDecision.Warning(scope, suppressed);
    }

    // Drops the addresses whose window has passed; when none has, nothing can go before the oldest window ends.
    private void Sweep(DateTimeOffset now)
    {
        if (now < nextSweep)
        {
            return;
        }

        var oldest = DateTimeOffset.MaxValue;
        foreach (var (address, entry) in byAddress)
        {
            if (now - entry.WarnedAt >= Window)
            {
                byAddress.Remove(address);
            }
            else if (entry.WarnedAt < oldest)
            {
                oldest = entry.WarnedAt;
            }
        }

        nextSweep = byAddress.Count < Capacity || oldest == DateTimeOffset.MaxValue ? DateTimeOffset.MinValue : oldest + Window;
    }

    private sealed class Entry(DateTimeOffset warnedAt)
    {
        public DateTimeOffset WarnedAt { get; set; } = warnedAt;

        public int Suppressed { get; set; }
    }
}

/// <summary>How to log one refused key: a Warning naming its scope and the refusals logged at Debug since the last one, or Debug.</summary>
internal readonly record struct RejectedKeyLogDecision(bool IsWarning, string Scope, int Suppressed)
{
    public static RejectedKeyLogDecision Debug => default;

    public static RejectedKeyLogDecision Warning(string scope, int suppressed) => new(true, scope, suppressed);
}
