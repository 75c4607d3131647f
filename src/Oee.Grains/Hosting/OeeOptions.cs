namespace Oee.Grains.Hosting;

/// <summary>Engine settings, bound from the <c>Oee</c> configuration section and validated at start.</summary>
public sealed class OeeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee";

    /// <summary>How many tasks of one queue run at once unless the queue is configured otherwise. Default 3 (the original worker pool's size).</summary>
    public int DefaultMaxConcurrency { get; set; } = 3;

    /// <summary>How many bodies one silo runs at once, over all queues; adding a silo adds this many. Default 100.</summary>
    public int WorkerSlotsPerSilo { get; set; } = 100;

    /// <summary>The largest task input accepted, in UTF-8 bytes of JSON. Default 1 MiB.</summary>
    public int MaxInputBytes { get; set; } = 1024 * 1024;

    /// <summary>How many index shards hold task summaries in memory mode. Default 8; fixed for a cluster's life.</summary>
    public int IndexShards { get; set; } = 8;

    /// <summary>How many finished tasks one clean-up round takes from each index shard. Default 1000.</summary>
    public int ClearBatchSize { get; set; } = 1000;
}

/// <summary>Checks <see cref="OeeOptions"/> at start.</summary>
internal sealed class OeeOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<OeeOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, OeeOptions options)
    {
        var failures = new List<string>();
        if (options.DefaultMaxConcurrency < 1)
        {
            failures.Add($"Oee:DefaultMaxConcurrency must be at least 1 (was {options.DefaultMaxConcurrency}).");
        }

        if (options.WorkerSlotsPerSilo < 1)
        {
            failures.Add($"Oee:WorkerSlotsPerSilo must be at least 1 (was {options.WorkerSlotsPerSilo}).");
        }

        if (options.MaxInputBytes is < 2 or > 64 * 1024 * 1024)
        {
            failures.Add($"Oee:MaxInputBytes must be from 2 to 67108864 (was {options.MaxInputBytes}).");
        }

        if (options.IndexShards is < 1 or > 1024)
        {
            failures.Add($"Oee:IndexShards must be from 1 to 1024 (was {options.IndexShards}).");
        }

        if (options.ClearBatchSize is < 1 or > 100_000)
        {
            failures.Add($"Oee:ClearBatchSize must be from 1 to 100000 (was {options.ClearBatchSize}).");
        }

        return failures.Count == 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(failures);
    }
}
