using Microsoft.Extensions.Options;

namespace Oee.Api.Hosting;

/// <summary>The web dashboard at <c>/</c>, bound from <c>Oee:Dashboard</c> and checked at start.</summary>
public sealed class OeeDashboardOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:Dashboard";

    /// <summary>Serve the page at <c>/</c> and keep the queues' recent history for its charts. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the queues are sampled for the charts (one cluster-wide queue listing each time). Default 5 s; 1 s – 1 min.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How far back the charts reach. Default 10 minutes; 1 minute – 1 hour (so at most 3,600 samples are kept).</summary>
    public TimeSpan HistoryWindow { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>Checks <see cref="OeeDashboardOptions"/>.</summary>
internal sealed class OeeDashboardOptionsValidator : IValidateOptions<OeeDashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, OeeDashboardOptions options)
    {
        var failures = new List<string>();
        if (options.SampleInterval < TimeSpan.FromSeconds(1) || options.SampleInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"Oee:Dashboard:SampleInterval must be from 00:00:01 to 00:01:00 (was {options.SampleInterval:c}).");
        }

        if (options.HistoryWindow < TimeSpan.FromMinutes(1) || options.HistoryWindow > TimeSpan.FromHours(1))
        {
            failures.Add($"Oee:Dashboard:HistoryWindow must be from 00:01:00 to 01:00:00 (was {options.HistoryWindow:c}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
