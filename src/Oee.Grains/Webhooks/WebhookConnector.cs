using System.Net;
using System.Net.Sockets;

namespace Oee.Grains.Webhooks;

/// <summary>
/// Opens the webhook client's connections: resolves the host itself and connects only to allowed
/// addresses, so a name that resolves (or re-resolves) to an internal address is refused.
/// </summary>
internal sealed class WebhookConnector(WebhookTargets targets)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        if (!targets.IsAllowedHost(host))
        {
            throw new WebhookTargetRefusedException($"Host '{host}' is not among Oee:Webhooks:AllowedHosts.");
        }

        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        IPAddress[] allowed = [.. addresses.Where(targets.IsAllowedAddress)];
        if (allowed.Length == 0)
        {
            throw new WebhookTargetRefusedException(
                $"Host '{host}' resolves only to addresses that are loopback, private or otherwise not public ({string.Join(", ", addresses.Select(a => a.ToString()))}); set Oee:Webhooks:AllowPrivateAddresses=true to allow them.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
