using Microsoft.Extensions.Options;

namespace Oee.Api.Hosting;

/// <summary>
/// The API's start-up warm-up of its request pipeline, bound from <c>Oee:Api:WarmUp</c> and checked at start.
/// Once the server listens and before the host's start completes (and before <c>/health/ready</c> answers 200),
/// it sends requests to its own loopback HTTP address that store nothing — a submit the submit rules refuse
/// (priority out of range: 400) and a read of the default queue's status — so that Kestrel's request path,
/// routing, authentication, the JSON (de)serializers and the problem details are compiled before the first
/// real requests arrive (docs/BENCHMARKS.md, session 9). The silo's or the client's own warm-up covers the
/// grain side. Skipped when the server has no <c>http://</c> address.
/// </summary>
public sealed class OeeApiWarmUpOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:Api:WarmUp";

    /// <summary>Whether the API warms its request pipeline up at start. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many rounds run (16 at a time); each is a refused submit and a queue read. Default 300.</summary>
    public int Rounds { get; set; } = 300;

    /// <summary>The most the warm-up may take, compilation included; past it the API starts anyway (logged). Default 15 seconds.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>Checks <see cref="OeeApiWarmUpOptions"/>.</summary>
internal sealed class OeeApiWarmUpOptionsValidator : IValidateOptions<OeeApiWarmUpOptions>
{
    /// <summary>The largest <see cref="OeeApiWarmUpOptions.Rounds"/>.</summary>
    public const int MaxRounds = 100_000;

    public ValidateOptionsResult Validate(string? name, OeeApiWarmUpOptions options)
    {
        var errors = new List<string>();
        if (options.Rounds is < 0 or > MaxRounds)
        {
            errors.Add($"Oee:Api:WarmUp:Rounds must be from 0 to {MaxRounds} (got {options.Rounds}).");
        }

        if (options.MaxDuration <= TimeSpan.Zero || options.MaxDuration > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Oee:Api:WarmUp:MaxDuration must be more than 0 and at most 10 minutes (got {options.MaxDuration}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
