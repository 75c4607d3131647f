using System.Globalization;
using System.Text;
using Oee.Grains.Contracts;
using Oee.Grains.Models;

namespace Oee.Grains.Pipelines;

/// <summary>
/// Plans a pipeline for a catalog: pure (spec + models → plan or field errors). The rules, and the
/// order that breaks ties, are the README's ("Pipelines"):
/// <list type="bullet">
/// <item>A stage's capable models: the one named by <c>modelId</c>, or every model serving <c>capability</c>.</item>
/// <item>LOCAL_FAST_PRECISE: local before remote, then expected latency ascending, quality descending, estimated cost ascending, id.</item>
/// <item>PARALLEL_ENSEMBLE: the first <c>ensembleSize</c> by quality descending, expected latency ascending, estimated cost ascending, id.</item>
/// <item>SEQUENTIAL_VALIDATION: quality descending, expected latency ascending, estimated cost ascending, id.</item>
/// <item>COST_OPTIMIZED: estimated cost ascending, quality descending, expected latency ascending, id; refused when the cheapest choices' total passes maxCost.</item>
/// <item>QUALITY_FIRST: quality descending, estimated cost ascending, expected latency ascending, id, keeping only models with which the
/// cheapest choices of the later stages still fit maxCost; refused as COST_OPTIMIZED when none fits.</item>
/// </list>
/// A stage's estimate: its model's pricing for (template text + input + each referenced earlier stage's
/// output-token limit + instructions + <see cref="ModelInfo.PromptOverheadTokens"/>) input tokens and its
/// output-token limit. Ids compare ordinally. A stage whose prompt could render past the limit is refused
/// (<see cref="PromptBytes"/>).
/// </summary>
internal static class PipelinePlanner
{
    /// <summary>
    /// Plans <paramref name="spec"/> with <paramref name="models"/>; <paramref name="defaultEnsembleSize"/> when the spec gives
    /// none; a stage's prompt may render to at most <paramref name="maxPromptBytes"/> (see <see cref="PromptBytes"/>).
    /// </summary>
    public static PlanOutcome Plan(PipelineSpec spec, IReadOnlyList<ModelInfo> models, int defaultEnsembleSize, int maxPromptBytes = PipelineLimits.MaxPromptBytes)
    {
        var shape = PipelineSpecRules.Check(spec);
        if (shape.Count > 0)
        {
            return PlanOutcome.Refused(shape);
        }

        var errors = new List<FieldError>();
        var stages = spec.Stages;
        var capable = new ModelInfo[stages.Length][];
        var templates = new PromptTemplate[stages.Length];
        var validators = new ModelInfo?[stages.Length];
        var inputBytes = Encoding.UTF8.GetByteCount(spec.Input);
        var mostOutputBytes = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < stages.Length; i++)
        {
            templates[i] = PromptTemplate.Parse(stages[i].Input ?? PromptTemplate.DefaultFor(i == 0 ? null : stages[i - 1].Name), out _)!;
            if (PromptBytes(stages[i], templates[i], inputBytes, r => mostOutputBytes.GetValueOrDefault(r)) is var promptBytes && promptBytes > maxPromptBytes)
            {
                errors.Add(new FieldError($"stages[{i}].input", TooLong(templates[i], promptBytes, maxPromptBytes)));
            }

            capable[i] = Capable(stages[i], i, models, errors);
            mostOutputBytes[stages[i].Name] = capable[i].Select(m => AnswerBounds.MaxOutputBytes(OutputTokens(stages[i], m))).DefaultIfEmpty(0).Max();
            if (stages[i].Check is { Kind: PipelineCheckKind.Model, Model: { } validator })
            {
                validators[i] = models.FirstOrDefault(m => m.Id == validator);
                if (validators[i] is null)
                {
                    errors.Add(new FieldError($"stages[{i}].check.model", $"No model of the catalog has the id '{validator}'. Models: {string.Join(", ", models.Select(m => m.Id))}."));
                }
            }
        }

        if (errors.Count > 0)
        {
            return PlanOutcome.Refused(errors);
        }

        var estimator = new Estimator(spec, templates, inputBytes);
        var ensembleSize = spec.EnsembleSize ?? defaultEnsembleSize;
        var cheapest = estimator.CheapestChain(capable, from: 0, new Dictionary<string, int>(StringComparer.Ordinal));
        if (spec.Strategy is PipelineStrategy.CostOptimized or PipelineStrategy.QualityFirst && spec.MaxCost is { } budget)
        {
            var total = 0m;
            for (var i = 0; i < cheapest.Length; i++)
            {
                total = SaturatingCost.Add(total, cheapest[i].Cost);
                if (total > budget)
                {
                    return PlanOutcome.Refused($"stages[{i}]", string.Create(
                        CultureInfo.InvariantCulture,
                        $"No plan fits maxCost {budget}: with the cheapest capable model of every stage the estimated cost reaches {total} at stage '{stages[i].Name}' (its cheapest model '{cheapest[i].Model.Id}' is estimated at {cheapest[i].Cost}). Raise maxCost, shorten the input or use cheaper models."));
                }
            }
        }

        var plans = new StagePlan[stages.Length];
        var outputs = new Dictionary<string, int>(StringComparer.Ordinal);
        var spent = 0m;
        for (var i = 0; i < stages.Length; i++)
        {
            var cost = (ModelInfo m) => estimator.Cost(i, m, outputs);
            ModelInfo[] order = spec.Strategy switch
            {
                PipelineStrategy.LocalFastPrecise => [.. capable[i]
                    .OrderByDescending(m => m.Local).ThenBy(m => m.ExpectedLatency).ThenByDescending(m => m.Quality).ThenBy(cost).ThenBy(m => m.Id, StringComparer.Ordinal)],
                PipelineStrategy.ParallelEnsemble => [.. ByQuality(capable[i], cost).Take(ensembleSize)],
                PipelineStrategy.SequentialValidation => [.. ByQuality(capable[i], cost)],
                PipelineStrategy.CostOptimized => [.. capable[i]
                    .OrderBy(cost).ThenByDescending(m => m.Quality).ThenBy(m => m.ExpectedLatency).ThenBy(m => m.Id, StringComparer.Ordinal)],
                _ => [.. capable[i]
                    .OrderByDescending(m => m.Quality).ThenBy(cost).ThenBy(m => m.ExpectedLatency).ThenBy(m => m.Id, StringComparer.Ordinal)
                    .Where(m => spec.MaxCost is not { } max || SaturatingCost.Add(SaturatingCost.Add(spent, cost(m)), estimator.RestAfter(capable, i, m, outputs)) <= max)],
            };

            if (order.Length == 0)
            {
                return PlanOutcome.Refused($"stages[{i}]", string.Create(CultureInfo.InvariantCulture, $"No capable model of stage '{stages[i].Name}' fits maxCost {spec.MaxCost} with the stages after it."));
            }

            var ensemble = spec.Strategy == PipelineStrategy.ParallelEnsemble;
            var estimate = ensemble ? SaturatingCost.Sum(order.Select(cost)) : cost(order[0]);
            var check = stages[i].Check ?? (spec.Strategy == PipelineStrategy.SequentialValidation ? new PipelineCheck { Kind = PipelineCheckKind.NonEmpty } : null);
            plans[i] = new StagePlan(i, stages[i], templates[i], order, ensemble, check, validators[i], estimate);
            outputs[stages[i].Name] = order.Max(m => OutputTokens(stages[i], m));
            spent = SaturatingCost.Add(spent, estimate);
        }

        return new PlanOutcome(new PipelinePlan(spec.Strategy, plans, spent, maxPromptBytes), []);
    }

    /// <summary>
    /// The most UTF-8 bytes a stage's prompt can render to: its template's text and instructions, the pipeline's input once
    /// per <c>{{input}}</c>, and for each <c>{{stages.X.output}}</c> the most that X's models may answer
    /// (<paramref name="outputBytes"/>: at submit their output-token limit × <see cref="AnswerBounds.MaxBytesPerToken"/>, a
    /// bound every call keeps). Counted at submit, so that a template repeating a reference cannot make a silo build a prompt
    /// of gigabytes; the runner checks the real outputs again before rendering (<see cref="PromptTemplate.RenderedBytes"/>).
    /// The cost estimate counts the same with an output's token limit as its bytes.
    /// </summary>
    public static long PromptBytes(PipelineStage stage, PromptTemplate template, int inputBytes, Func<string, long> outputBytes) =>
        template.LiteralBytes
        + ((long)template.InputReferences * inputBytes)
        + template.StageReferences.Sum(outputBytes)
        + Encoding.UTF8.GetByteCount(stage.Instructions ?? "");

    /// <summary>The output tokens a call of <paramref name="model"/> may produce in <paramref name="stage"/>.</summary>
    public static int OutputTokens(PipelineStage stage, ModelInfo model) =>
        stage.MaxOutputTokens is { } own && (model.MaxOutputTokens <= 0 || own < model.MaxOutputTokens) ? own : model.MaxOutputTokens;

    private static string TooLong(PromptTemplate template, long promptBytes, int maxPromptBytes) => string.Create(
        CultureInfo.InvariantCulture,
        $"This stage's prompt could render to {promptBytes:N0} bytes ({template.InputReferences} × the pipeline's input, {template.StageReferences.Count()} × an earlier stage's output at the most its models may answer, its text and instructions); a prompt may be at most {maxPromptBytes:N0} bytes. Refer to outputs fewer times, or lower the referenced stages' maxOutputTokens.");

    private static IOrderedEnumerable<ModelInfo> ByQuality(ModelInfo[] models, Func<ModelInfo, decimal> cost) => models
        .OrderByDescending(m => m.Quality).ThenBy(m => m.ExpectedLatency).ThenBy(cost).ThenBy(m => m.Id, StringComparer.Ordinal);

    private static ModelInfo[] Capable(PipelineStage stage, int i, IReadOnlyList<ModelInfo> models, List<FieldError> errors)
    {
        if (stage.ModelId is { } id)
        {
            if (models.FirstOrDefault(m => m.Id == id) is { } model)
            {
                return [model];
            }

            errors.Add(new FieldError($"stages[{i}].modelId", $"No model of the catalog has the id '{id}'. Models: {string.Join(", ", models.Select(m => m.Id))}."));
            return [];
        }

        ModelInfo[] serving = [.. models.Where(m => m.Capabilities.Contains(stage.Capability!, StringComparer.Ordinal))];
        if (serving.Length == 0)
        {
            var known = models.SelectMany(m => m.Capabilities).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            errors.Add(new FieldError($"stages[{i}].capability", $"No model of the catalog serves capability '{stage.Capability}'. Capabilities served: {string.Join(", ", known)}."));
        }

        return serving;
    }

    /// <summary>
    /// Estimated costs of stage calls, from the template's size and the earlier stages' output limits: token counts in
    /// longs and costs that saturate (<see cref="SaturatingCost"/>), so no estimate wraps or throws.
    /// </summary>
    private sealed class Estimator(PipelineSpec spec, PromptTemplate[] templates, int inputBytes)
    {
        public decimal Cost(int stage, ModelInfo model, IReadOnlyDictionary<string, int> earlierOutputs)
        {
            var inputTokens = PromptBytes(spec.Stages[stage], templates[stage], inputBytes, r => earlierOutputs.GetValueOrDefault(r))
                + ModelInfo.PromptOverheadTokens;
            return SaturatingCost.Of(model.Pricing, inputTokens, OutputTokens(spec.Stages[stage], model));
        }

        /// <summary>The cheapest model of each stage from <paramref name="from"/> on, each chosen given the ones before.</summary>
        public (ModelInfo Model, decimal Cost)[] CheapestChain(ModelInfo[][] capable, int from, Dictionary<string, int> earlierOutputs)
        {
            var outputs = new Dictionary<string, int>(earlierOutputs, StringComparer.Ordinal);
            var chain = new (ModelInfo, decimal)[capable.Length - from];
            for (var i = from; i < capable.Length; i++)
            {
                var best = capable[i]
                    .Select(m => (Model: m, Cost: Cost(i, m, outputs)))
                    .OrderBy(c => c.Cost).ThenByDescending(c => c.Model.Quality).ThenBy(c => c.Model.ExpectedLatency).ThenBy(c => c.Model.Id, StringComparer.Ordinal)
                    .First();
                chain[i - from] = best;
                outputs[spec.Stages[i].Name] = OutputTokens(spec.Stages[i], best.Model);
            }

            return chain;
        }

        /// <summary>The estimated cost of the stages after <paramref name="stage"/> on their cheapest models, when it runs on <paramref name="model"/>.</summary>
        public decimal RestAfter(ModelInfo[][] capable, int stage, ModelInfo model, Dictionary<string, int> earlierOutputs)
        {
            var outputs = new Dictionary<string, int>(earlierOutputs, StringComparer.Ordinal) { [spec.Stages[stage].Name] = OutputTokens(spec.Stages[stage], model) };
            return SaturatingCost.Sum(CheapestChain(capable, stage + 1, outputs).Select(c => c.Cost));
        }
    }
}
