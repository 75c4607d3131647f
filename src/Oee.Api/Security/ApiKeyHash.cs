using System.Security.Cryptography;
using System.Text;

namespace Oee.Api.Security;

/// <summary>
/// API keys and their stored form. A key is <c>oee_{keyId}_{secret}</c>: the key id names its
/// configuration entry (so a request costs one hash), the secret is 32 random bytes (base64url). Only
/// the salted hash is configured: <c>sha256:{salt}:{hash}</c>, with <c>hash = SHA-256(salt ‖ key)</c>
/// and a 16-byte random salt (both base64). A single fast hash is enough because the secret is random,
/// not a password: it cannot be guessed from a dictionary, and the salt defeats precomputed tables.
/// </summary>
public static class ApiKeyHash
{
    /// <summary>What every key starts with.</summary>
    public const string Prefix = "oee_";

    private const string Scheme = "sha256";

    /// <summary>A new random key id: 12 lower-case hex characters.</summary>
    public static string NewKeyId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>A new key for <paramref name="keyId"/>.</summary>
    public static string NewKey(string keyId) =>
        $"{Prefix}{keyId}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";

    /// <summary>The stored form of <paramref name="key"/> with a new random salt.</summary>
    public static string Hash(string key) => Hash(key, RandomNumberGenerator.GetBytes(16));

    /// <summary>The key id a presented key names, or null when it is not of the form <c>oee_{keyId}_{secret}</c>.</summary>
    public static string? KeyIdOf(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length > 256)
        {
            return null;
        }

        var end = key.IndexOf('_', Prefix.Length);
        return end <= Prefix.Length || end == key.Length - 1 ? null : key[Prefix.Length..end];
    }

    /// <summary>True when <paramref name="stored"/> is of the form this class writes.</summary>
    public static bool IsWellFormed(string? stored) => stored is not null && TryParse(stored, out _, out _);

    /// <summary>True when <paramref name="key"/> hashes to <paramref name="stored"/>; compared in constant time.</summary>
    public static bool Verify(string key, string stored)
    {
        if (!TryParse(stored, out var salt, out var expected))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Digest(key, salt), expected);
    }

    private static string Hash(string key, byte[] salt) =>
        $"{Scheme}:{Convert.ToBase64String(salt)}:{Convert.ToBase64String(Digest(key, salt))}";

    private static byte[] Digest(string key, byte[] salt)
    {
        var bytes = new byte[salt.Length + Encoding.UTF8.GetByteCount(key)];
        salt.CopyTo(bytes, 0);
        Encoding.UTF8.GetBytes(key, bytes.AsSpan(salt.Length));
        return SHA256.HashData(bytes);
    }

    private static bool TryParse(string stored, out byte[] salt, out byte[] hash)
    {
        salt = hash = [];
        var parts = stored.Split(':');
        if (parts.Length != 3 || parts[0] != Scheme)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[1]);
            hash = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length >= 8 && hash.Length == SHA256.HashSizeInBytes;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
