using System.Text.RegularExpressions;
using Oee.Grains.Contracts;

namespace Oee.Grains.Pipelines;

/// <summary>
/// The rules of a pipeline that need no model catalog (shape, names, templates, limits): checked by
/// the client facade, and by the <c>pipeline</c> handler at submit. Fields are named as in the REST
/// body (<c>stages[1].input</c>).
/// </summary>
internal static partial class PipelineSpecRules
{
    /// <summary>Every field error of the spec (empty when its shape is fine).</summary>
    public static List<FieldError> Check(PipelineSpec spec)
    {
        var errors = new List<FieldError>();
        if (spec.Input is null)
        {
            errors.Add(new FieldError("input", "Input (the pipeline's input text) is required."));
        }

        if (!Enum.IsDefined(spec.Strategy))
        {
            errors.Add(new FieldError("strategy", "Strategy must be one of LOCAL_FAST_PRECISE, PARALLEL_ENSEMBLE, SEQUENTIAL_VALIDATION, COST_OPTIMIZED, QUALITY_FIRST."));
        }

        if (spec.MaxTime is { } maxTime && (maxTime <= TimeSpan.Zero || maxTime > TaskLimits.MaxTimeout))
        {
            errors.Add(new FieldError("maxTime", $"MaxTime must be more than zero and at most {TaskLimits.MaxTimeout.TotalDays:0} days."));
        }

        if (spec.StageTimeout is { } stageTimeout && (stageTimeout <= TimeSpan.Zero || stageTimeout > TaskLimits.MaxTimeout))
        {
            errors.Add(new FieldError("stageTimeout", $"StageTimeout must be more than zero and at most {TaskLimits.MaxTimeout.TotalDays:0} days."));
        }

        if (spec.MaxCost is < 0)
        {
            errors.Add(new FieldError("maxCost", "MaxCost must not be negative."));
        }

        if (spec.StageQueue is { } queue && !TaskLimits.IsIdentifier(queue))
        {
            errors.Add(new FieldError("stageQueue", $"StageQueue must be 1–{TaskLimits.MaxIdentifierLength} characters of [A-Za-z0-9._:-]."));
        }

        if (spec.EnsembleSize is < PipelineLimits.MinEnsembleSize or > PipelineLimits.MaxEnsembleSize)
        {
            errors.Add(new FieldError("ensembleSize", $"EnsembleSize must be from {PipelineLimits.MinEnsembleSize} to {PipelineLimits.MaxEnsembleSize}."));
        }

        if (spec.Stages is not { Length: > 0 and <= PipelineLimits.MaxStages } stages)
        {
            errors.Add(new FieldError("stages", $"A pipeline has 1–{PipelineLimits.MaxStages} stages."));
            return errors;
        }

        var earlier = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < stages.Length; i++)
        {
            CheckStage(stages[i], i, i == 0 ? null : stages[i - 1]?.Name, earlier, errors);
            if (stages[i]?.Name is { } name)
            {
                earlier.Add(name);
            }
        }

        return errors;
    }

    private static void CheckStage(PipelineStage? stage, int i, string? previous, HashSet<string> earlier, List<FieldError> errors)
    {
        var at = $"stages[{i}]";
        if (stage is null)
        {
            errors.Add(new FieldError(at, "The stage is missing."));
            return;
        }

        if (string.IsNullOrEmpty(stage.Name) || stage.Name.Length > PipelineLimits.MaxStageNameLength || !StageName().IsMatch(stage.Name))
        {
            errors.Add(new FieldError($"{at}.name", $"A stage name is 1–{PipelineLimits.MaxStageNameLength} characters of [A-Za-z0-9_-]."));
        }
        else if (earlier.Contains(stage.Name))
        {
            errors.Add(new FieldError($"{at}.name", $"Stage name '{stage.Name}' is used by an earlier stage; names must be unique."));
        }

        if ((stage.ModelId is null) == (stage.Capability is null))
        {
            errors.Add(new FieldError($"{at}.modelId", "Give a stage either modelId (one model) or capability (the strategy chooses), not both and not neither."));
        }

        if (stage.MaxOutputTokens is < 1)
        {
            errors.Add(new FieldError($"{at}.maxOutputTokens", "MaxOutputTokens must be at least 1."));
        }

        var template = PromptTemplate.Parse(stage.Input ?? PromptTemplate.DefaultFor(previous), out var problem);
        if (template is null)
        {
            errors.Add(new FieldError($"{at}.input", problem!));
        }
        else if (template.StageReferences.FirstOrDefault(r => !earlier.Contains(r)) is { } unknown)
        {
            errors.Add(new FieldError($"{at}.input", $"{{{{stages.{unknown}.output}}}} names no earlier stage: a stage can use the outputs of the stages before it."));
        }

        if (stage.Check is { } check)
        {
            CheckCheck(check, $"{at}.check", errors);
        }
    }

    private static void CheckCheck(PipelineCheck check, string at, List<FieldError> errors)
    {
        if (!Enum.IsDefined(check.Kind))
        {
            errors.Add(new FieldError($"{at}.kind", "Kind must be one of nonEmpty, regex, json, model."));
        }
        else if (check.Kind == PipelineCheckKind.Regex)
        {
            if (string.IsNullOrEmpty(check.Pattern))
            {
                errors.Add(new FieldError($"{at}.pattern", "A regex check needs a pattern."));
            }
            else if (!IsRegex(check.Pattern))
            {
                errors.Add(new FieldError($"{at}.pattern", $"'{check.Pattern}' is not a valid .NET regular expression."));
            }
        }
        else if (check.Kind == PipelineCheckKind.Model && string.IsNullOrEmpty(check.Model))
        {
            errors.Add(new FieldError($"{at}.model", "A model check needs the validator model's id."));
        }
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, OutputChecks.MatchTimeout);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]+\z")]
    private static partial Regex StageName();
}
