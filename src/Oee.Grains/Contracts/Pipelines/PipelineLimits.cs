namespace Oee.Grains.Contracts;

/// <summary>Bounds of a pipeline.</summary>
public static class PipelineLimits
{
    /// <summary>The handler name of pipeline tasks.</summary>
    public const string HandlerName = "pipeline";

    /// <summary>The handler name of stage tasks (one model call each).</summary>
    public const string ModelHandlerName = "model";

    /// <summary>The most stages a pipeline may have.</summary>
    public const int MaxStages = 32;

    /// <summary>The longest stage name.</summary>
    public const int MaxStageNameLength = 64;

    /// <summary>
    /// The most bytes a stage's prompt may render to, as estimated at submit from its template (its text and instructions, and
    /// the pipeline's input once per <c>{{input}}</c>): a template repeating the input cannot make a silo build a prompt of gigabytes.
    /// </summary>
    public const int MaxPromptBytes = 16 * 1024 * 1024;

    /// <summary>The fewest and most models of one ensemble stage.</summary>
    public const int MinEnsembleSize = 2, MaxEnsembleSize = 8;

    /// <summary>The error type of a pipeline that ran past its maxTime.</summary>
    public const string TimeoutErrorType = "Timeout";

    /// <summary>The error type of a pipeline stopped because a call would have passed maxCost.</summary>
    public const string BudgetErrorType = "BudgetExceeded";

    /// <summary>The error type of a pipeline whose stage failed on every model it could try.</summary>
    public const string StageFailedErrorType = "StageFailed";
}
