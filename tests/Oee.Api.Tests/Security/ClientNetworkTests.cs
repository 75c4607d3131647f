using System.Net;
using Oee.Api.Security;

namespace Oee.Api.Tests.Security;

/// <summary>
/// A per-address limit counts an IPv6 client by its /64 network (it counted each address, so a host holding a /64 had
/// 2^64 buckets), an IPv4 client (also when a dual-stack socket reports it IPv4-mapped) by its address.
/// </summary>
public sealed class ClientNetworkTests
{
    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    [InlineData("fe80::1%3", "fe80::/64")]
    [InlineData("::1", "::1")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    public void An_address_is_counted_as(string address, string client) =>
        Assert.Equal(client, ClientNetwork.Of(IPAddress.Parse(address)));

    [Fact]
    public void Two_addresses_of_one_64_are_one_client_and_two_64s_are_two()
    {
        Assert.Equal(ClientNetwork.Of(IPAddress.Parse("2001:db8:1:2::1")), ClientNetwork.Of(IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        Assert.NotEqual(ClientNetwork.Of(IPAddress.Parse("2001:db8:1:2::1")), ClientNetwork.Of(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.NotEqual(ClientNetwork.Of(IPAddress.Parse("192.0.2.7")), ClientNetwork.Of(IPAddress.Parse("192.0.2.8")));
        Assert.True(ClientNetwork.IsNetwork(ClientNetwork.Of(IPAddress.Parse("2001:db8::1"))));
        Assert.False(ClientNetwork.IsNetwork(ClientNetwork.Of(IPAddress.Parse("192.0.2.7"))));
    }

    [Fact]
    public void No_address_is_a_question_mark() => Assert.Equal("?", ClientNetwork.Of(null));
}
