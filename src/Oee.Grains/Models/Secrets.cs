namespace Oee.Grains.Models;

/// <summary>Keeps a model's API key out of any text that leaves the caller (messages, logs).</summary>
internal static class Secrets
{
    /// <summary>What replaces a key.</summary>
    public const string Mask = "***";

    /// <summary><paramref name="text"/> with every occurrence of <paramref name="secret"/> masked.</summary>
    public static string Scrub(string text, string? secret) =>
        string.IsNullOrEmpty(secret) ? text : text.Replace(secret, Mask, StringComparison.Ordinal);
}
