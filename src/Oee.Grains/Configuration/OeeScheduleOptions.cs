using Microsoft.Extensions.Options;

namespace Oee.Grains.Configuration;

/// <summary>How schedules tell a late occurrence from a missed one, bound from <c>Oee:Schedules</c> and checked at start.</summary>
public sealed class OeeScheduleOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:Schedules";

    /// <summary>
    /// An occurrence handled at most this long after its instant is late and runs whatever the
    /// schedule's missed-run policy; an older one is missed, and the policy decides. Default 5 seconds.
    /// </summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Checks <see cref="OeeScheduleOptions"/>.</summary>
internal sealed class OeeScheduleOptionsValidator : IValidateOptions<OeeScheduleOptions>
{
    public ValidateOptionsResult Validate(string? name, OeeScheduleOptions options) =>
        options.MisfireThreshold < TimeSpan.FromMilliseconds(100) || options.MisfireThreshold > TimeSpan.FromDays(1)
            ? ValidateOptionsResult.Fail($"Oee:Schedules:MisfireThreshold must be from 00:00:00.1 to 1.00:00:00 (was {options.MisfireThreshold:c}).")
            : ValidateOptionsResult.Success;
}
