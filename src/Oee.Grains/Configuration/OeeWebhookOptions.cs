using Microsoft.Extensions.Options;

namespace Oee.Grains.Configuration;

/// <summary>
/// Webhooks (callback URLs of tasks), bound from <c>Oee:Webhooks</c> on every silo and checked at
/// start. Off by default: no host is allowed, and a submit with a callback URL is refused.
/// </summary>
public sealed class OeeWebhookOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:Webhooks";

    /// <summary>
    /// The hosts a callback URL may name (exact names or IP addresses, case-insensitive; <c>*.example.com</c>
    /// allows every subdomain of example.com). Default none: webhooks are off.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>
    /// Whether a callback may reach loopback, private (RFC 1918, unique-local), link-local, carrier-grade
    /// NAT and other non-public addresses, checked on every address the host resolves to when sending.
    /// Default false: the engine cannot be turned against internal services.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>
    /// The signing secret (Standard Webhooks: <c>whsec_</c> then base64; any other text is used as its
    /// UTF-8 bytes), at least 16 bytes; required when <see cref="AllowedHosts"/> is set. Never logged or shown.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>Retries after a failed POST (5xx, 408, 429, network error, timeout). Default 5; 0 to 20.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first retry's delay; each next one doubles it, with jitter. Default 2 s; 10 ms to 10 min.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one POST may take. Default 10 s; 100 ms to 5 min.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries sent at once per silo. Default 8; 1 to 256.</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>Deliveries waiting per silo beyond which new ones are dropped (logged). Default 10,000; 10 to 1,000,000.</summary>
    public int QueueLimit { get; set; } = 10_000;

    /// <summary>True when webhooks are on (some host is allowed).</summary>
    public bool Enabled => AllowedHosts.Length > 0;

    /// <inheritdoc/>
    public override string ToString() =>
        $"AllowedHosts=[{string.Join(", ", AllowedHosts)}], AllowPrivateAddresses={AllowPrivateAddresses}, Secret={(Secret is null ? "unset" : "set")}";
}

/// <summary>Checks <see cref="OeeWebhookOptions"/>; each message names the setting (never the secret's value).</summary>
internal sealed class OeeWebhookOptionsValidator : IValidateOptions<OeeWebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, OeeWebhookOptions options)
    {
        const string S = OeeWebhookOptions.SectionName;
        var errors = new List<string>();
        if (options.AllowedHosts.Any(h => string.IsNullOrWhiteSpace(h) || h.Contains('/') || (h.Contains(':') && !System.Net.IPAddress.TryParse(h, out _))))
        {
            errors.Add($"{S}:AllowedHosts must list host names or IP addresses only (no scheme, port or path).");
        }

        if (options.Enabled && Webhooks.WebhookSignature.KeyOf(options.Secret) is not { Length: >= 16 })
        {
            errors.Add($"{S}:Secret must be set (at least 16 bytes; 'whsec_' + base64, or plain text) when {S}:AllowedHosts is set.");
        }

        if (options.MaxRetries is < 0 or > 20)
        {
            errors.Add($"{S}:MaxRetries must be 0 to 20 (was {options.MaxRetries}).");
        }

        if (options.FirstRetryDelay < TimeSpan.FromMilliseconds(10) || options.FirstRetryDelay > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{S}:FirstRetryDelay must be 10 ms to 10 minutes (was {options.FirstRetryDelay}).");
        }

        if (options.AttemptTimeout < TimeSpan.FromMilliseconds(100) || options.AttemptTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{S}:AttemptTimeout must be 100 ms to 5 minutes (was {options.AttemptTimeout}).");
        }

        if (options.Parallelism is < 1 or > 256)
        {
            errors.Add($"{S}:Parallelism must be 1 to 256 (was {options.Parallelism}).");
        }

        if (options.QueueLimit is < 10 or > 1_000_000)
        {
            errors.Add($"{S}:QueueLimit must be 10 to 1000000 (was {options.QueueLimit}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
