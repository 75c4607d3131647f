using Microsoft.Extensions.Options;

namespace Oee.Grains.Configuration;

/// <summary>
/// The start-up warm-up of a silo, bound from <c>Oee:WarmUp</c> and checked at start. Before the silo's
/// start completes it drives the code every task runs through (grain activation, grain calls and their
/// copies of OEE's contracts, the submit check, the task state machine, the queue's scheduler, the
/// record's serialized form) with rounds that store nothing, and waits for the just-in-time compiler to
/// finish, so that the first tasks run compiled code (docs/BENCHMARKS.md: the first run paid ~5 s of
/// compilation on 2 cores).
/// </summary>
public sealed class OeeWarmUpOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:WarmUp";

    /// <summary>Whether the silo warms up before its start completes. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many warm-up rounds run (32 at a time); each is two grain calls to new activations. Default 500.</summary>
    public int Rounds { get; set; } = 500;

    /// <summary>
    /// How many real echo tasks the warm-up then runs through the whole task path (32 at a time), with memory
    /// storage only: submitted through the silo's client facade into the engine's queue <c>oee.warm-up</c>, run, and
    /// purged; no metric, event, span or queue listing shows them. With PostgreSQL storage none runs (a silo's
    /// start writes nothing to the database). Default 256; 0 turns them off.
    /// </summary>
    public int Tasks { get; set; } = 256;

    /// <summary>
    /// The most the warm-up may take, compilation included; a silo past it starts anyway (logged).
    /// Default 15 seconds.
    /// </summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>Checks <see cref="OeeWarmUpOptions"/>.</summary>
internal sealed class OeeWarmUpOptionsValidator : IValidateOptions<OeeWarmUpOptions>
{
    /// <summary>The largest <see cref="OeeWarmUpOptions.Rounds"/>.</summary>
    public const int MaxRounds = 100_000;

    public ValidateOptionsResult Validate(string? name, OeeWarmUpOptions options)
    {
        var errors = new List<string>();
        if (options.Rounds is < 0 or > MaxRounds)
        {
            errors.Add($"Oee:WarmUp:Rounds must be from 0 to {MaxRounds} (got {options.Rounds}).");
        }

        if (options.Tasks is < 0 or > MaxRounds)
        {
            errors.Add($"Oee:WarmUp:Tasks must be from 0 to {MaxRounds} (got {options.Tasks}).");
        }

        if (options.MaxDuration <= TimeSpan.Zero || options.MaxDuration > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Oee:WarmUp:MaxDuration must be more than 0 and at most 10 minutes (got {options.MaxDuration}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
