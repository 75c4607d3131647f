using Microsoft.Extensions.Options;

namespace Oee.Grains.Configuration;

/// <summary>
/// How long finished tasks are kept, bound from <c>Oee:Retention</c> and checked at start. A
/// cluster-wide sweep removes tasks older than their status's time from storage and listings, a
/// step at a time.
/// </summary>
public sealed class OeeRetentionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:Retention";

    /// <summary>False keeps every finished task until it is cleared by hand (<c>DELETE /api/tasks/finished</c>). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a task that ended <c>done</c> is kept after it finished. Default 24 hours.</summary>
    public TimeSpan Done { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a task that ended <c>cancelled</c> is kept after it finished. Default 24 hours.</summary>
    public TimeSpan Cancelled { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a task that ended <c>error</c> is kept after it finished. Default 7 days.</summary>
    public TimeSpan Error { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the sweep runs. Default 1 minute.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many tasks one step of the sweep removes (per index shard in memory mode) before it looks again. Default 500.</summary>
    public int StepSize { get; set; } = 500;

    /// <summary>The most tasks one sweep removes; the next sweep goes on where it stopped. Default 100,000.</summary>
    public int MaxPerSweep { get; set; } = 100_000;

    /// <summary>
    /// How many tasks the sweep removes at once. Low by default (4), so that a large backlog of
    /// expired tasks is removed in the background without crowding out submits for the storage: in
    /// durable mode each removal is a few statements. A clean-up a user asks for runs at 64.
    /// </summary>
    public int Parallelism { get; set; } = 4;
}

/// <summary>Checks <see cref="OeeRetentionOptions"/>.</summary>
internal sealed class OeeRetentionOptionsValidator : IValidateOptions<OeeRetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, OeeRetentionOptions options)
    {
        var failures = new List<string>();
        foreach (var (setting, value) in new[] { ("Done", options.Done), ("Cancelled", options.Cancelled), ("Error", options.Error) })
        {
            if (value < TimeSpan.Zero || value > TimeSpan.FromDays(3650))
            {
                failures.Add($"Oee:Retention:{setting} must be from 00:00:00 to 3650.00:00:00 (was {value:c}).");
            }
        }

        if (options.SweepInterval < TimeSpan.FromSeconds(1) || options.SweepInterval > TimeSpan.FromDays(1))
        {
            failures.Add($"Oee:Retention:SweepInterval must be from 00:00:01 to 1.00:00:00 (was {options.SweepInterval:c}).");
        }

        if (options.StepSize is < 1 or > 10_000)
        {
            failures.Add($"Oee:Retention:StepSize must be from 1 to 10000 (was {options.StepSize}).");
        }

        if (options.Parallelism is < 1 or > 256)
        {
            failures.Add($"Oee:Retention:Parallelism must be from 1 to 256 (was {options.Parallelism}).");
        }

        if (options.MaxPerSweep < options.StepSize || options.MaxPerSweep > 10_000_000)
        {
            failures.Add($"Oee:Retention:MaxPerSweep must be from StepSize to 10000000 (was {options.MaxPerSweep}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
