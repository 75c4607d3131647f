using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Oee.Api.Models.Validation;

namespace Oee.Api.Models;

/// <summary>Which failed attempts a retry policy retries.</summary>
[JsonConverter(typeof(WireEnumConverter<RetryOnMode>))]
public enum RetryOnMode
{
    /// <summary>None: a failing body ends the task error at once.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>Every failure.</summary>
    [JsonStringEnumMemberName("all")]
    All,

    /// <summary>Every failure except a TaskBodyFailedException, which a body throws to say the failure is permanent.</summary>
    [JsonStringEnumMemberName("transient")]
    Transient,
}

/// <summary>
/// A retry policy. After failed attempt n of a run the task is scheduled for
/// min(maxDelay, initialDelay × multiplier^(n−1)) × (1 − jitter × u), u uniform in [0, 1).
/// Omitted members take their defaults.
/// </summary>
public sealed record RetryPolicyBody
{
    /// <summary>Which failures are retried. Default transient.</summary>
    [DefaultValue(RetryOnMode.Transient)]
    public RetryOnMode? RetryOn { get; init; }

    /// <summary>The delay after the first failed attempt: ISO 8601 (PT1S) or [d.]hh:mm:ss, 0 to 30 days. Default 1 s.</summary>
    [Duration]
    public string? InitialDelay { get; init; }

    /// <summary>Each further failure multiplies the delay by this (1–100). Default 2.</summary>
    [Range(1.0, 100.0)]
    public double? Multiplier { get; init; }

    /// <summary>The cap of a delay, at least initialDelay, at most 30 days. Default 10 minutes.</summary>
    [Duration]
    public string? MaxDelay { get; init; }

    /// <summary>The fraction (0–1) by which each delay is shortened at random. Default 0.2.</summary>
    [Range(0.0, 1.0)]
    public double? Jitter { get; init; }
}

/// <summary>A retry policy in force (every member set).</summary>
/// <param name="RetryOn">Which failures are retried.</param>
/// <param name="InitialDelay">The delay after the first failed attempt (ISO 8601 duration).</param>
/// <param name="Multiplier">The factor per further failure.</param>
/// <param name="MaxDelay">The cap of a delay (ISO 8601 duration).</param>
/// <param name="Jitter">The fraction by which a delay is shortened at random.</param>
public sealed record RetryPolicyResponse(RetryOnMode RetryOn, string InitialDelay, double Multiplier, string MaxDelay, double Jitter);
