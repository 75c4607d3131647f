using System.Globalization;
using Microsoft.Extensions.Options;

namespace Oee.Api.Security;

/// <summary>
/// The open Server-Sent-Events streams (<c>/api/tasks/{id}/events</c>, <c>/api/events</c>) of each API key, or of each
/// client address for the anonymous caller of a keyless API (an IPv6 address by its /64 network): at most
/// <see cref="OeeApiSecurityOptions.MaxEventStreamsPerKey"/> at once, so that one client cannot hold thousands of
/// subscriptions (each a connection, a subscription to the node's event feed and a buffer). A stream's place is taken
/// when it opens and freed when its request ends (the stream ended, or the client left). Only holders with a stream open
/// are kept, so the table is bounded by the streams open. Thread-safe.
/// </summary>
internal sealed class EventStreamLimits(IOptions<OeeApiSecurityOptions> security)
{
    /// <summary>The setting, as named in the 429's detail.</summary>
    public const string Setting = OeeApiSecurityOptions.SectionName + ":" + nameof(OeeApiSecurityOptions.MaxEventStreamsPerKey);

    private readonly Dictionary<string, int> open = new(StringComparer.Ordinal);

    /// <summary>The most streams one key (or client address) may have open.</summary>
    public int Limit { get; } = security.Value.MaxEventStreamsPerKey;

    /// <summary>
    /// Who holds a request's streams: its API key, or its client address when it has none (a keyless API), an IPv6 address
    /// by its /64 network (<see cref="ClientNetwork"/>).
    /// </summary>
    public static string HolderOf(HttpContext httpContext) =>
        ApiCaller.KeyId(httpContext.User) is { } keyId
            ? "key:" + keyId
            : "address:" + ClientNetwork.Of(httpContext.Connection.RemoteIpAddress);

    /// <summary>
    /// Takes a place for a stream of the request's holder, freed when the request ends; false when the holder has
    /// <see cref="Limit"/> streams open.
    /// </summary>
    public bool TryOpen(HttpContext httpContext)
    {
        var holder = HolderOf(httpContext);
        lock (open)
        {
            var count = open.GetValueOrDefault(holder);
            if (count >= Limit)
            {
                return false;
            }

            open[holder] = count + 1;
        }

        httpContext.Response.RegisterForDispose(new Place(this, holder));
        return true;
    }

    /// <summary>The streams <paramref name="holder"/> has open.</summary>
    public int OpenFor(string holder)
    {
        lock (open)
        {
            return open.GetValueOrDefault(holder);
        }
    }

    /// <summary>The 429's detail.</summary>
    public string RefusalDetail(HttpContext httpContext) => string.Create(
        CultureInfo.InvariantCulture,
        $"{Holder(httpContext)} has {Limit} event streams open, the most it may ({Setting}): close one before opening another.");

    private static string Holder(HttpContext httpContext) =>
        ApiCaller.KeyId(httpContext.User) is not null ? "This API key"
        : ClientNetwork.IsNetwork(ClientNetwork.Of(httpContext.Connection.RemoteIpAddress)) ? "This client's IPv6 /64 network"
        : "This client address";

    private void Close(string holder)
    {
        lock (open)
        {
            var count = open.GetValueOrDefault(holder) - 1;
            if (count > 0)
            {
                open[holder] = count;
            }
            else
            {
                open.Remove(holder);
            }
        }
    }

    private sealed class Place(EventStreamLimits limits, string holder) : IDisposable
    {
        private int closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref closed, 1) == 0)
            {
                limits.Close(holder);
            }
        }
    }
}
