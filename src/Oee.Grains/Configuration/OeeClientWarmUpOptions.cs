using Microsoft.Extensions.Options;

namespace Oee.Grains.Configuration;

/// <summary>
/// The start-up warm-up of an external Orleans client (<c>AddOeeClient</c>), bound from <c>Oee:ClientWarmUp</c>
/// and checked at start. Before the client's host completes its start it drives the client's own side of a
/// submit (the facade's check of the request, a grain reference per new task, the request's serializer, the
/// gateway connection's send and receive, the answer's decoder with a task record) with rounds that the
/// cluster refuses, so nothing is stored, and waits for the just-in-time compiler to finish. A silo's own
/// warm-up (<see cref="OeeWarmUpOptions"/>) cannot reach a client's process: without this the client compiles
/// that code during its first submits (docs/BENCHMARKS.md, session 9).
/// </summary>
public sealed class OeeClientWarmUpOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:ClientWarmUp";

    /// <summary>Whether the client warms up before its host's start completes. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many warm-up rounds run (32 at a time): each a refused submit and a refused receipt submit (each activates a task grain that stores nothing and deactivates) and a status read of a queue that does not exist. Default 300.</summary>
    public int Rounds { get; set; } = 300;

    /// <summary>
    /// The most the warm-up may take, compilation included; a client past it starts anyway (logged).
    /// Default 10 seconds.
    /// </summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Checks <see cref="OeeClientWarmUpOptions"/>.</summary>
internal sealed class OeeClientWarmUpOptionsValidator : IValidateOptions<OeeClientWarmUpOptions>
{
    /// <summary>The largest <see cref="OeeClientWarmUpOptions.Rounds"/>.</summary>
    public const int MaxRounds = 100_000;

    public ValidateOptionsResult Validate(string? name, OeeClientWarmUpOptions options)
    {
        var errors = new List<string>();
        if (options.Rounds is < 0 or > MaxRounds)
        {
            errors.Add($"Oee:ClientWarmUp:Rounds must be from 0 to {MaxRounds} (got {options.Rounds}).");
        }

        if (options.MaxDuration <= TimeSpan.Zero || options.MaxDuration > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Oee:ClientWarmUp:MaxDuration must be more than 0 and at most 10 minutes (got {options.MaxDuration}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
