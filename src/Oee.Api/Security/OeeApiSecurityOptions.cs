using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Oee.Api.Security;

/// <summary>One configured API key: its salted hash, never the key itself.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>The stored hash, <c>sha256:{salt}:{hash}</c>, as printed by <c>new-key</c>.</summary>
    public string Hash { get; set; } = "";

    /// <summary><c>reader</c>, <c>submitter</c> or <c>admin</c>.</summary>
    public string Role { get; set; } = "";

    /// <summary>Who the key is for (shown in logs instead of the key), or null.</summary>
    public string? Description { get; set; }

    /// <summary>Requests per second this key may make; null takes <see cref="OeeApiSecurityOptions.RequestsPerSecond"/>, 0 is unlimited.</summary>
    public int? RequestsPerSecond { get; set; }

    /// <summary>
    /// The tenant the key is bound to (1–64 characters of <c>[A-Za-z0-9._-]</c>), or null for a key that sees
    /// every task. A tenant-bound key (reader or submitter, never admin) submits tasks of its tenant and
    /// sees, lists, watches and touches only those; cluster-wide figures are closed to it.
    /// </summary>
    public string? Tenant { get; set; }
}

/// <summary>Access control of the REST API, bound from <c>Oee:Api:Security</c> and checked at start.</summary>
public sealed partial class OeeApiSecurityOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:Api:Security";

    /// <summary>
    /// The API keys by key id (the part between <c>oee_</c> and the next <c>_</c> of a key). None (the
    /// default): the API answers only requests that reach it on a loopback address, as admin, unless
    /// <see cref="AllowAnonymousOnNetwork"/>.
    /// </summary>
    public Dictionary<string, ApiKeyEntry> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// True lets an API without keys start on a non-loopback address and answer anyone who reaches it,
    /// as admin. Default false: such a start is refused. Meant for a network that is itself closed.
    /// </summary>
    public bool AllowAnonymousOnNetwork { get; set; }

    /// <summary>
    /// Requests per second one key may make (a token bucket of this rate); 0 is unlimited. Default 200. Requests without
    /// a valid key share one such bucket per client address (an IPv6 address by its /64 network).
    /// </summary>
    public int RequestsPerSecond { get; set; } = 200;

    /// <summary>How many requests a key may make at once above its rate (the bucket's size). Default 400.</summary>
    public int Burst { get; set; } = 400;

    /// <summary>
    /// How many Server-Sent-Events streams (<c>/api/tasks/{id}/events</c>, <c>/api/events</c>) one API key may have open
    /// at once (without keys: one client address, an IPv6 address by its /64 network); one more is a 429. Default 32.
    /// </summary>
    public int MaxEventStreamsPerKey { get; set; } = 32;

    /// <summary>The largest request body, in bytes (a batch of tasks with their inputs). Default 32 MiB; 413 above it.</summary>
    public long MaxRequestBodyBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>The largest total size of a request's headers, in bytes. Default 32 KiB; 431 above it.</summary>
    public int MaxRequestHeadersBytes { get; set; } = 32 * 1024;

    /// <summary>The most headers one request may carry.</summary>
    public const int MaxRequestHeaderCount = 64;

    /// <summary>The longest request line (method, path and query), in bytes.</summary>
    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>True when keys are configured.</summary>
    public bool RequiresKeys => Keys.Count > 0;

    /// <summary>True for a key id no key may have: <c>anonymous</c>, the caller of an API without keys (unlimited, owning no task), in any case.</summary>
    public static bool IsReservedKeyId(string keyId) =>
        string.Equals(keyId, ApiKeyAuthenticationHandler.AnonymousName, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^[A-Za-z0-9]{1,32}\z")]
    internal static partial Regex KeyIdPattern();
}

/// <summary>Checks <see cref="OeeApiSecurityOptions"/>: each failure names its setting.</summary>
internal sealed class OeeApiSecurityOptionsValidator : IValidateOptions<OeeApiSecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, OeeApiSecurityOptions options)
    {
        var failures = new List<string>();
        foreach (var (keyId, key) in options.Keys)
        {
            var setting = $"{OeeApiSecurityOptions.SectionName}:Keys:{keyId}";
            if (!OeeApiSecurityOptions.KeyIdPattern().IsMatch(keyId))
            {
                failures.Add($"{setting}: a key id is 1-32 letters or digits (the part of the key between 'oee_' and the next '_').");
            }
            else if (OeeApiSecurityOptions.IsReservedKeyId(keyId))
            {
                failures.Add($"{setting}: the key id '{keyId}' is reserved (it names the caller of an API without keys); choose another.");
            }

            if (!ApiKeyHash.IsWellFormed(key.Hash))
            {
                failures.Add($"{setting}:Hash must be the 'sha256:{{salt}}:{{hash}}' line printed by 'Oee.Api new-key' (never the key itself).");
            }

            if (!OeeRoles.IsKnown(key.Role))
            {
                failures.Add($"{setting}:Role must be one of {string.Join(", ", OeeRoles.All)} (was '{key.Role}').");
            }

            if (key.Tenant is not null && !Oee.Grains.Contracts.TaskLimits.IsTenant(key.Tenant))
            {
                failures.Add($"{setting}:Tenant must be 1-{Oee.Grains.Contracts.TaskLimits.MaxTenantLength} characters of [A-Za-z0-9._-] (was '{key.Tenant}').");
            }
            else if (key.Tenant is not null && key.Role == OeeRoles.Admin)
            {
                failures.Add($"{setting}:Tenant: an admin key cannot be bound to a tenant: admin manages cluster-wide queues, schedules and retention and touches any task. Give the tenant a reader or submitter key, or remove Tenant.");
            }

            if (key.RequestsPerSecond is < 0 or > 1_000_000)
            {
                failures.Add($"{setting}:RequestsPerSecond must be from 0 (unlimited) to 1000000 (was {key.RequestsPerSecond}).");
            }
        }

        if (options.RequestsPerSecond is < 0 or > 1_000_000)
        {
            failures.Add($"{OeeApiSecurityOptions.SectionName}:RequestsPerSecond must be from 0 (unlimited) to 1000000 (was {options.RequestsPerSecond}).");
        }

        if (options.Burst is < 1 or > 1_000_000)
        {
            failures.Add($"{OeeApiSecurityOptions.SectionName}:Burst must be from 1 to 1000000 (was {options.Burst}).");
        }

        if (options.MaxEventStreamsPerKey is < 1 or > 100_000)
        {
            failures.Add($"{OeeApiSecurityOptions.SectionName}:MaxEventStreamsPerKey must be from 1 to 100000 (was {options.MaxEventStreamsPerKey}).");
        }

        if (options.MaxRequestBodyBytes is < 64 * 1024 or > 1024L * 1024 * 1024)
        {
            failures.Add($"{OeeApiSecurityOptions.SectionName}:MaxRequestBodyBytes must be from 65536 to 1073741824 (was {options.MaxRequestBodyBytes}).");
        }

        if (options.MaxRequestHeadersBytes is < 4 * 1024 or > 1024 * 1024)
        {
            failures.Add($"{OeeApiSecurityOptions.SectionName}:MaxRequestHeadersBytes must be from 4096 to 1048576 (was {options.MaxRequestHeadersBytes}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
