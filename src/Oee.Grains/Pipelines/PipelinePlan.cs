using Oee.Grains.Contracts;

namespace Oee.Grains.Pipelines;

/// <summary>
/// How one stage runs: the models in the order they are tried (for an ensemble: the members, all
/// started at once), its template and check, and the estimated cost of its first choice.
/// </summary>
/// <param name="Index">The stage's position.</param>
/// <param name="Stage">The stage as submitted.</param>
/// <param name="Template">Its parsed prompt template.</param>
/// <param name="Candidates">The models in order of preference (an ensemble's members).</param>
/// <param name="Ensemble">True when every candidate runs at once (PARALLEL_ENSEMBLE).</param>
/// <param name="Check">The output check, or null.</param>
/// <param name="Validator">The validator model of a model check, or null.</param>
/// <param name="EstimatedCost">The estimated cost of the first candidate (an ensemble: of all members).</param>
internal sealed record StagePlan(
    int Index,
    PipelineStage Stage,
    PromptTemplate Template,
    ModelInfo[] Candidates,
    bool Ensemble,
    PipelineCheck? Check,
    ModelInfo? Validator,
    decimal EstimatedCost)
{
    /// <summary>The output tokens a call of <paramref name="model"/> may produce in this stage.</summary>
    public int OutputTokens(ModelInfo model) => PipelinePlanner.OutputTokens(Stage, model);
}

/// <summary>A pipeline's plan: every stage's models, and the estimated total of the first choices.</summary>
/// <param name="Strategy">The strategy.</param>
/// <param name="Stages">The stages in order.</param>
/// <param name="EstimatedCost">The sum of the stages' estimates.</param>
/// <param name="MaxPromptBytes">The most UTF-8 bytes a stage's prompt (with its instructions) may render to, at submit and at run time.</param>
internal sealed record PipelinePlan(PipelineStrategy Strategy, StagePlan[] Stages, decimal EstimatedCost, int MaxPromptBytes);

/// <summary>A plan, or the field errors that make one impossible.</summary>
/// <param name="Plan">The plan, when there is one.</param>
/// <param name="Errors">Why there is none (fields named as in the REST body, e.g. <c>stages[1]</c>).</param>
internal sealed record PlanOutcome(PipelinePlan? Plan, IReadOnlyList<FieldError> Errors)
{
    public static PlanOutcome Refused(IReadOnlyList<FieldError> errors) => new(null, errors);

    public static PlanOutcome Refused(string field, string message) => new(null, [new FieldError(field, message)]);
}
