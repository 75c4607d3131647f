using System.Net;
using System.Net.Sockets;

namespace Oee.Api.Security;

/// <summary>
/// The client a per-address limit counts (the rate limit's bucket for requests without a valid key, the refused keys'
/// log throttle, a keyless API's event streams): an IPv4 address is itself (an IPv4-mapped IPv6 address, as a
/// dual-stack socket reports one, is that IPv4 address), and an IPv6 address is its /64 network, the smallest block a
/// site is given: one host commonly holds a whole /64 and may send from any of its 2^64 addresses, so counting each
/// address alone would give it that many buckets. The IPv6 loopback address is itself. No address (a test server) is
/// <c>?</c>.
/// </summary>
internal static class ClientNetwork
{
    /// <summary>The length of the IPv6 prefix an IPv6 client is counted by.</summary>
    public const int IPv6PrefixLength = 64;

    private const string NetworkSuffix = "/64";

    /// <summary>
    /// What <paramref name="address"/> is counted as: <c>192.0.2.7</c>, <c>2001:db8:1:2::/64</c>, <c>::1</c> or
    /// <c>?</c>.
    /// </summary>
    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return "?";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[(IPv6PrefixLength / 8)..].Clear();
        return new IPAddress(bytes) + NetworkSuffix;
    }

    /// <summary>True when <see cref="Of"/> names an IPv6 network rather than one address.</summary>
    public static bool IsNetwork(string client) => client.EndsWith(NetworkSuffix, StringComparison.Ordinal);
}
