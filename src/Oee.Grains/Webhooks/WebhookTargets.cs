using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;

namespace Oee.Grains.Webhooks;

/// <summary>
/// Which callback URLs and addresses a webhook may reach (<see cref="OeeWebhookOptions"/>): the host
/// must be allowed by name, and every address it resolves to must be public unless private addresses
/// are allowed (checked at submit for literal addresses, and on each connection for resolved ones).
/// </summary>
internal sealed class WebhookTargets(IOptions<OeeWebhookOptions> options)
{
    private const string Field = "callbackUrl";
    private const string Hosts = OeeWebhookOptions.SectionName + ":AllowedHosts";
    private const string Private = OeeWebhookOptions.SectionName + ":AllowPrivateAddresses";

    /// <summary>What is wrong with a callback URL; null when it may be used.</summary>
    public FieldError? Check(string url)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return new FieldError(Field, $"Webhooks are off: no callback host is allowed. Set {Hosts} to the hosts that may receive callbacks.");
        }

        if (CheckForm(url) is { } formError)
        {
            return formError;
        }

        var uri = new Uri(url, UriKind.Absolute);
        if (!IsAllowedHost(uri.IdnHost))
        {
            return new FieldError(Field, $"Host '{uri.IdnHost}' is not among {Hosts} ({string.Join(", ", settings.AllowedHosts)}).");
        }

        if (IPAddress.TryParse(uri.IdnHost, out var literal) && !IsAllowedAddress(literal))
        {
            return new FieldError(Field, $"Address {literal} is loopback, private or otherwise not public; set {Private}=true to allow such targets.");
        }

        return null;
    }

    /// <summary>
    /// What is wrong with a callback URL's form (absolute http or https, no user info, not too long), which
    /// needs no silo settings: callers check it before a grain call; null when the form is right.
    /// </summary>
    public static FieldError? CheckForm(string url) =>
        url.Length > WebhookLimits.MaxUrlLength
        || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
        || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        || !string.IsNullOrEmpty(uri.UserInfo)
            ? new FieldError(Field, $"CallbackUrl must be an absolute http or https URL without user info, at most {WebhookLimits.MaxUrlLength} characters.")
            : null;

    public bool IsAllowedHost(string host)
    {
        host = host.Trim('[', ']');
        foreach (var allowed in options.Value.AllowedHosts)
        {
            var pattern = allowed.Trim().Trim('[', ']');
            if (string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase)
                || (pattern.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsAllowedAddress(IPAddress address) => options.Value.AllowPrivateAddresses || IsPublic(address);

    /// <summary>False for loopback, private, link-local, carrier-grade NAT, unspecified, multicast, broadcast and documentation-free special ranges.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0
                || b[0] == 10
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19))
                || b[0] >= 224);
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal
                || address.IsIPv6SiteLocal
                || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC);
        }

        return false;
    }
}
