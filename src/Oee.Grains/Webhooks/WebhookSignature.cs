using System.Security.Cryptography;
using System.Text;

namespace Oee.Grains.Webhooks;

/// <summary>
/// Standard Webhooks signing: <c>v1,</c> + base64(HMAC-SHA256(key, <c>{webhook-id}.{webhook-timestamp}.{body}</c>)),
/// the key being the secret's bytes (base64 after <c>whsec_</c>, else its UTF-8 bytes).
/// </summary>
internal static class WebhookSignature
{
    private const string Prefix = "whsec_";

    /// <summary>The key bytes of a configured secret; null when unset or not valid base64 after <c>whsec_</c>.</summary>
    public static byte[]? KeyOf(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return null;
        }

        if (!secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return Encoding.UTF8.GetBytes(secret);
        }

        var encoded = secret[Prefix.Length..];
        var bytes = new byte[encoded.Length];
        return Convert.TryFromBase64String(encoded, bytes, out var written) ? bytes[..written] : null;
    }

    /// <summary>The <c>webhook-signature</c> header's value for one message.</summary>
    public static string Sign(byte[] key, string webhookId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }
}
