using Microsoft.Extensions.Options;
using Oee.Grains.Contracts;

namespace Oee.Grains.Configuration;

/// <summary>Pipeline defaults, bound from <c>Oee:Pipelines</c> and checked at start.</summary>
public sealed class OeePipelineOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:Pipelines";

    /// <summary>
    /// The queue of stage tasks when a pipeline names none. Default <c>pipeline-stages</c>. It must differ
    /// from the pipelines' own queues: pipeline bodies holding every slot of a queue would wait forever
    /// for stage tasks queued behind them.
    /// </summary>
    public string StageQueue { get; set; } = "pipeline-stages";

    /// <summary>PARALLEL_ENSEMBLE: how many models run a stage when the pipeline says nothing (2–8). Default 3.</summary>
    public int EnsembleSize { get; set; } = 3;

    /// <summary>How long one model call (stage task) may run before it counts as failed, when the pipeline says nothing. Default 2 minutes.</summary>
    public TimeSpan StageTimeout { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>Checks <see cref="OeePipelineOptions"/>.</summary>
internal sealed class OeePipelineOptionsValidator : IValidateOptions<OeePipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, OeePipelineOptions options)
    {
        var errors = new List<string>();
        if (!TaskLimits.IsIdentifier(options.StageQueue))
        {
            errors.Add($"Oee:Pipelines:StageQueue must be a queue name of 1–{TaskLimits.MaxIdentifierLength} characters of [A-Za-z0-9._:-] (was '{options.StageQueue}').");
        }

        if (options.EnsembleSize is < PipelineLimits.MinEnsembleSize or > PipelineLimits.MaxEnsembleSize)
        {
            errors.Add($"Oee:Pipelines:EnsembleSize must be from {PipelineLimits.MinEnsembleSize} to {PipelineLimits.MaxEnsembleSize} (was {options.EnsembleSize}).");
        }

        if (options.StageTimeout <= TimeSpan.Zero || options.StageTimeout > TaskLimits.MaxTimeout)
        {
            errors.Add($"Oee:Pipelines:StageTimeout must be more than zero and at most {TaskLimits.MaxTimeout.TotalDays:0} days (was {options.StageTimeout:c}).");
        }

        return errors.Count > 0 ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
