using System.Xml;
using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Api.Models;

/// <summary>Pipeline bodies to contracts and back.</summary>
internal static class PipelineMapping
{
    /// <summary>The request of a body; bad durations throw <see cref="OeeValidationException"/> naming them.</summary>
    public static PipelineRequest ToRequest(this SubmitPipelineBody body)
    {
        var errors = new List<FieldError>();
        var maxTime = ModelMapping.ToDuration(body.MaxTime, "maxTime", errors);
        var stageTimeout = ModelMapping.ToDuration(body.StageTimeout, "stageTimeout", errors);
        if (body.Strategy is null)
        {
            errors.Add(new FieldError("strategy", "Strategy is required: LOCAL_FAST_PRECISE, PARALLEL_ENSEMBLE, SEQUENTIAL_VALIDATION, COST_OPTIMIZED or QUALITY_FIRST."));
        }

        if (body.Stages is null)
        {
            errors.Add(new FieldError("stages", $"Stages is required: 1–{PipelineLimits.MaxStages} stages."));
        }

        if (errors.Count > 0)
        {
            throw new OeeValidationException(errors);
        }

        return new PipelineRequest
        {
            Id = body.Id,
            Name = body.Name ?? "",
            Queue = body.Queue,
            Priority = body.Priority,
            Tags = body.Tags,
            Spec = new PipelineSpec
            {
                Input = body.Input!,
                Strategy = (PipelineStrategy)body.Strategy!.Value,
                Stages = [.. body.Stages!.Select(s => s is null ? null! : new PipelineStage
                {
                    Name = s.Name ?? "",
                    ModelId = s.ModelId,
                    Capability = s.Capability,
                    Input = s.Input,
                    Instructions = s.Instructions,
                    MaxOutputTokens = s.MaxOutputTokens,
                    Check = s.Check is { } check ? new PipelineCheck { Kind = (PipelineCheckKind)check.Kind, Pattern = check.Pattern, Model = check.Model } : null,
                })],
                MaxTime = maxTime,
                MaxCost = body.MaxCost,
                StageQueue = body.StageQueue,
                EnsembleSize = body.EnsembleSize,
                StageTimeout = stageTimeout,
            },
        };
    }

    public static PipelineResponse ToResponse(this PipelineTask pipeline, bool? created = null) =>
        new(pipeline.Task.ToResponse(), pipeline.Result?.ToResponse(), created);

    private static PipelineResultResponse ToResponse(this PipelineResult result) => new(
        (PipelineStrategyName)result.Strategy,
        [.. result.Stages.Select(s => new PipelineStageResponse(
            s.Name,
            s.Model,
            s.Output,
            XmlConvert.ToString(s.Latency),
            s.InputTokens,
            s.OutputTokens,
            s.Cost,
            [.. s.Calls.Select(c => new PipelineCallResponse(
                c.TaskId, c.Model, Role(c.Role), c.Status, c.Output, c.Error, c.CheckPassed, XmlConvert.ToString(c.Latency), c.InputTokens, c.OutputTokens, c.Cost))]))],
        result.Output,
        result.Completed,
        result.TotalCost,
        result.TotalInputTokens,
        result.TotalOutputTokens,
        XmlConvert.ToString(result.TotalLatency),
        result.Calls,
        result.FailedStage);

    private static string Role(PipelineCallRole role) => role switch
    {
        PipelineCallRole.EnsembleMember => "ensembleMember",
        PipelineCallRole.Validator => "validator",
        _ => "try",
    };
}
