using Oee.Grains.Contracts;
using Oee.Grains.Pipelines;

namespace Oee.Grains.Tests.Pipelines;

public sealed class PipelinePlannerTests
{
    private static ModelInfo Model(string id, bool local, int latencyMs, double quality, decimal perCall = 0, decimal perThousandIn = 0, string[]? caps = null, int maxOut = 100) => new()
    {
        Id = id,
        Kind = ModelKind.BuiltIn,
        Local = local,
        ExpectedLatency = TimeSpan.FromMilliseconds(latencyMs),
        Quality = quality,
        Pricing = new ModelPricing { PerCall = perCall, PerThousandInputTokens = perThousandIn },
        Capabilities = caps ?? ["summarize"],
        MaxOutputTokens = maxOut,
    };

    private static readonly ModelInfo LocalFast = Model("local-fast", local: true, latencyMs: 100, quality: 0.5);
    private static readonly ModelInfo LocalSlow = Model("local-slow", local: true, latencyMs: 500, quality: 0.7);
    private static readonly ModelInfo RemoteBest = Model("remote-best", local: false, latencyMs: 50, quality: 0.95, perCall: 0.01m);
    private static readonly ModelInfo RemoteCheap = Model("remote-cheap", local: false, latencyMs: 200, quality: 0.6, perCall: 0.001m);
    private static readonly ModelInfo[] Catalog = [LocalFast, LocalSlow, RemoteBest, RemoteCheap];

    private static PipelineSpec Spec(PipelineStrategy strategy, decimal? maxCost = null, params PipelineStage[] stages) => new()
    {
        Input = "text",
        Strategy = strategy,
        MaxCost = maxCost,
        Stages = stages.Length > 0 ? stages : [new PipelineStage { Name = "s1", Capability = "summarize" }],
    };

    private static PipelinePlan Planned(PipelineSpec spec, IReadOnlyList<ModelInfo>? models = null, int ensemble = 3)
    {
        var outcome = PipelinePlanner.Plan(spec, models ?? Catalog, ensemble);
        Assert.Empty(outcome.Errors);
        return outcome.Plan!;
    }

    private static string[] Order(StagePlan stage) => [.. stage.Candidates.Select(m => m.Id)];

    [Fact]
    public void Local_fast_precise_tries_local_models_fastest_first_then_remote_ones_fastest_first()
    {
        var plan = Planned(Spec(PipelineStrategy.LocalFastPrecise));

        Assert.Equal(["local-fast", "local-slow", "remote-best", "remote-cheap"], Order(plan.Stages[0]));
        Assert.False(plan.Stages[0].Ensemble);
        Assert.Null(plan.Stages[0].Check);
    }

    [Fact]
    public void Local_fast_precise_breaks_a_full_tie_by_id()
    {
        ModelInfo[] twins = [Model("b", true, 100, 0.5), Model("a", true, 100, 0.5), Model("c", true, 100, 0.5)];

        var plan = Planned(Spec(PipelineStrategy.LocalFastPrecise), twins);

        Assert.Equal(["a", "b", "c"], Order(plan.Stages[0]));
    }

    [Fact]
    public void Local_fast_precise_breaks_a_latency_tie_by_quality_then_cost()
    {
        ModelInfo[] models = [Model("low", true, 100, 0.4), Model("high-dear", true, 100, 0.9, perCall: 2), Model("high-cheap", true, 100, 0.9, perCall: 1)];

        var plan = Planned(Spec(PipelineStrategy.LocalFastPrecise), models);

        Assert.Equal(["high-cheap", "high-dear", "low"], Order(plan.Stages[0]));
    }

    [Fact]
    public void Parallel_ensemble_runs_the_best_models_up_to_the_ensemble_size()
    {
        var three = Planned(Spec(PipelineStrategy.ParallelEnsemble));
        var two = Planned(Spec(PipelineStrategy.ParallelEnsemble) with { EnsembleSize = 2 });

        Assert.True(three.Stages[0].Ensemble);
        Assert.Equal(["remote-best", "local-slow", "remote-cheap"], Order(three.Stages[0]));
        Assert.Equal(["remote-best", "local-slow"], Order(two.Stages[0]));
        Assert.Equal(0.011m, three.Stages[0].EstimatedCost);
    }

    [Fact]
    public void Parallel_ensemble_breaks_a_quality_tie_by_latency()
    {
        ModelInfo[] models = [Model("slow", false, 900, 0.8), Model("fast", false, 100, 0.8), Model("worse", false, 10, 0.1)];

        var plan = Planned(Spec(PipelineStrategy.ParallelEnsemble) with { EnsembleSize = 2 }, models);

        Assert.Equal(["fast", "slow"], Order(plan.Stages[0]));
    }

    [Fact]
    public void Sequential_validation_tries_by_quality_and_checks_non_empty_unless_told_otherwise()
    {
        var plan = Planned(Spec(
            PipelineStrategy.SequentialValidation,
            null,
            new PipelineStage { Name = "a", Capability = "summarize" },
            new PipelineStage { Name = "b", Capability = "summarize", Check = new PipelineCheck { Kind = PipelineCheckKind.Json } }));

        Assert.Equal(["remote-best", "local-slow", "remote-cheap", "local-fast"], Order(plan.Stages[0]));
        Assert.Equal(PipelineCheckKind.NonEmpty, plan.Stages[0].Check!.Kind);
        Assert.Equal(PipelineCheckKind.Json, plan.Stages[1].Check!.Kind);
    }

    [Fact]
    public void Cost_optimized_takes_the_cheapest_first_and_breaks_a_cost_tie_by_quality()
    {
        var plan = Planned(Spec(PipelineStrategy.CostOptimized));

        // local-fast and local-slow both cost 0: the better one first.
        Assert.Equal(["local-slow", "local-fast", "remote-cheap", "remote-best"], Order(plan.Stages[0]));
        Assert.Equal(0m, plan.EstimatedCost);
    }

    [Fact]
    public void Cost_optimized_is_refused_naming_the_stage_where_the_cheapest_plan_passes_max_cost()
    {
        ModelInfo[] models = [Model("paid", false, 100, 0.5, perCall: 0.4m, caps: ["x"]), Model("dear", false, 100, 0.9, perCall: 0.9m, caps: ["x"])];
        var spec = Spec(
            PipelineStrategy.CostOptimized,
            maxCost: 1.0m,
            new PipelineStage { Name = "a", Capability = "x" },
            new PipelineStage { Name = "b", Capability = "x" },
            new PipelineStage { Name = "c", Capability = "x" });

        var outcome = PipelinePlanner.Plan(spec, models, 3);

        Assert.Null(outcome.Plan);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal("stages[2]", error.Field);
        Assert.Contains("maxCost 1.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("'paid'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PipelineStrategy.CostOptimized)]
    [InlineData(PipelineStrategy.SequentialValidation)]
    public void A_template_repeating_a_large_input_past_the_prompt_limit_is_refused_naming_the_stage(PipelineStrategy strategy)
    {
        // 1 MB of input 2,200 times: ~2.2 GB. Its cost estimate used to wrap past int and fit any maxCost; the silo then
        // built the prompt (~4.4 GB of memory) and failed.
        var spec = Spec(strategy, maxCost: strategy == PipelineStrategy.CostOptimized ? 0.001m : null) with
        {
            Input = new string('a', 1_000_000),
            Stages = [new PipelineStage { Name = "s", Capability = "summarize", Input = string.Concat(Enumerable.Repeat("{{input}}", 2_200)) }],
        };

        var outcome = PipelinePlanner.Plan(spec, Catalog, 3);

        Assert.Null(outcome.Plan);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal("stages[0].input", error.Field);
        Assert.Contains("(2200 × the pipeline's input", error.Message, StringComparison.Ordinal);

        // Within the limit (16 × 1 MB) it plans.
        Assert.NotNull(PipelinePlanner.Plan(spec with { Stages = [spec.Stages[0] with { Input = string.Concat(Enumerable.Repeat("{{input}}", 16)) }], MaxCost = null }, Catalog, 3).Plan);
    }

    [Fact]
    public void Repeating_an_earlier_stages_output_past_the_prompt_limit_is_refused_naming_the_stages_template()
    {
        // 50,000 references to a stage whose model may answer 512 tokens (at most 4 KB): ~200 MB. Only the input's repeats
        // were counted, and the silo built the prompt (with a model's large limit: gigabytes, out of memory).
        ModelInfo[] models = [Model("m", true, 1, 0.5, caps: ["x"], maxOut: 512)];
        var spec = Spec(
            PipelineStrategy.LocalFastPrecise,
            null,
            new PipelineStage { Name = "a", Capability = "x" },
            new PipelineStage { Name = "b", Capability = "x", Input = string.Concat(Enumerable.Repeat("{{stages.a.output}}", 50_000)) });

        var outcome = PipelinePlanner.Plan(spec, models, 3);

        Assert.Null(outcome.Plan);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal("stages[1].input", error.Field);
        Assert.Contains("50000 × an earlier stage's output", error.Message, StringComparison.Ordinal);
        Assert.Contains("204,800,000 bytes", error.Message, StringComparison.Ordinal);

        // Stage a's own lower limit bounds its output: 50,000 × 40 tokens × 8 bytes = 16,000,000 bytes fits.
        Assert.NotNull(PipelinePlanner.Plan(spec with { Stages = [spec.Stages[0] with { MaxOutputTokens = 40 }, spec.Stages[1]] }, models, 3).Plan);
    }

    [Fact]
    public void A_prompt_limit_lower_than_the_default_refuses_a_stage_whose_prompt_could_pass_it()
    {
        // The silo plans with the smaller of 16 MiB and a task input's limit (Oee:MaxInputBytes, 1 MiB by default): a stage
        // task whose prompt is longer would be refused when the pipeline submits it.
        ModelInfo[] models = [Model("m", true, 1, 0.5, caps: ["x"], maxOut: 200_000)];
        var spec = Spec(PipelineStrategy.LocalFastPrecise, null, new PipelineStage { Name = "a", Capability = "x" }, new PipelineStage { Name = "b", Capability = "x" });

        var outcome = PipelinePlanner.Plan(spec, models, 3, maxPromptBytes: 1024 * 1024);

        Assert.Equal("stages[1].input", Assert.Single(outcome.Errors).Field);
        Assert.Contains("at most 1,048,576 bytes", outcome.Errors[0].Message, StringComparison.Ordinal);
        Assert.NotNull(PipelinePlanner.Plan(spec, models, 3).Plan);
    }

    [Theory]
    [InlineData(PipelineStrategy.CostOptimized)]
    [InlineData(PipelineStrategy.QualityFirst)]
    public void A_cost_estimate_past_what_a_decimal_holds_is_refused_naming_the_stage_instead_of_throwing(PipelineStrategy strategy)
    {
        // 10^25 per 1,000 input tokens × ~100,000 tokens: past decimal.MaxValue. The planner threw OverflowException (a 500).
        ModelInfo[] models = [Model("dear", false, 1, 0.5, perThousandIn: 10_000_000_000_000_000_000_000_000m, caps: ["x"])];
        var spec = Spec(strategy, maxCost: 1m, new PipelineStage { Name = "a", Capability = "x" }) with { Input = new string('a', 100_000) };

        var outcome = PipelinePlanner.Plan(spec, models, 3);

        Assert.Null(outcome.Plan);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal("stages[0]", error.Field);
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimates_too_large_to_add_up_saturate_instead_of_throwing()
    {
        ModelInfo[] models =
        [
            Model("dear-1", false, 1, 0.5, perThousandIn: 10_000_000_000_000_000_000_000_000m, caps: ["x"]),
            Model("dear-2", false, 1, 0.6, perThousandIn: 10_000_000_000_000_000_000_000_000m, caps: ["x"]),
        ];
        var spec = Spec(PipelineStrategy.ParallelEnsemble, null, new PipelineStage { Name = "a", Capability = "x" }, new PipelineStage { Name = "b", Capability = "x" })
            with { Input = new string('a', 100_000) };

        Assert.Equal(decimal.MaxValue, Planned(spec, models).EstimatedCost);
    }

    [Fact]
    public void A_template_whose_estimate_used_to_wrap_negative_is_refused_under_any_max_cost()
    {
        // 2,140 references to a 1,000,000-token output plus an 8 MiB input: the int estimate wrapped to a negative number,
        // which fit maxCost 1.
        ModelInfo[] models = [Model("m", true, 1, 0.5, perThousandIn: 1m, caps: ["x"], maxOut: 1_000_000)];
        var spec = Spec(
            PipelineStrategy.CostOptimized,
            maxCost: 1m,
            new PipelineStage { Name = "a", Capability = "x", Input = "short" },
            new PipelineStage { Name = "b", Capability = "x", Input = "{{input}}" + string.Concat(Enumerable.Repeat("{{stages.a.output}}", 2140)) })
            with { Input = new string('i', 8 * 1024 * 1024) };

        var outcome = PipelinePlanner.Plan(spec, models, 3);

        Assert.Null(outcome.Plan);
        Assert.Equal("stages[1].input", Assert.Single(outcome.Errors).Field);
    }

    [Fact]
    public void A_stage_name_with_a_trailing_line_break_is_refused()
    {
        var outcome = PipelinePlanner.Plan(Spec(PipelineStrategy.SequentialValidation, null, new PipelineStage { Name = "a\n", Capability = "summarize" }), Catalog, 3);
        Assert.Equal("stages[0].name", Assert.Single(outcome.Errors).Field);
    }

    [Fact]
    public void Cost_optimized_fits_exactly_at_max_cost()
    {
        ModelInfo[] models = [Model("paid", false, 100, 0.5, perCall: 0.5m, caps: ["x"])];
        var spec = Spec(PipelineStrategy.CostOptimized, 1.0m, new PipelineStage { Name = "a", Capability = "x" }, new PipelineStage { Name = "b", Capability = "x" });

        Assert.Equal(1.0m, Planned(spec, models).EstimatedCost);
    }

    [Fact]
    public void Quality_first_takes_the_best_model_that_leaves_room_for_the_cheapest_later_stages()
    {
        ModelInfo[] models = [Model("best", false, 100, 0.9, perCall: 1.0m, caps: ["x"]), Model("cheap", false, 100, 0.5, perCall: 0.1m, caps: ["x"])];
        var spec = Spec(PipelineStrategy.QualityFirst, 1.15m, new PipelineStage { Name = "a", Capability = "x" }, new PipelineStage { Name = "b", Capability = "x" });

        var plan = Planned(spec, models);

        Assert.Equal(["best", "cheap"], Order(plan.Stages[0]));
        Assert.Equal(["cheap"], Order(plan.Stages[1]));
        Assert.Equal(1.1m, plan.EstimatedCost);
    }

    [Fact]
    public void Quality_first_without_a_budget_orders_by_quality_then_cost()
    {
        ModelInfo[] models = [Model("q-dear", false, 100, 0.9, perCall: 2m), Model("q-cheap", false, 300, 0.9, perCall: 1m), Model("low", false, 1, 0.1)];

        Assert.Equal(["q-cheap", "q-dear", "low"], Order(Planned(Spec(PipelineStrategy.QualityFirst), models).Stages[0]));
    }

    [Fact]
    public void Quality_first_is_refused_when_no_plan_fits()
    {
        var spec = Spec(PipelineStrategy.QualityFirst, 0.0001m, new PipelineStage { Name = "a", ModelId = "remote-cheap" });

        var outcome = PipelinePlanner.Plan(spec, Catalog, 3);

        Assert.Equal("stages[0]", Assert.Single(outcome.Errors).Field);
    }

    [Fact]
    public void A_named_model_is_the_only_candidate()
    {
        var plan = Planned(Spec(PipelineStrategy.LocalFastPrecise, null, new PipelineStage { Name = "a", ModelId = "remote-cheap" }));

        Assert.Equal(["remote-cheap"], Order(plan.Stages[0]));
    }

    [Fact]
    public void An_unknown_model_and_an_unserved_capability_are_named_by_stage()
    {
        var spec = Spec(
            PipelineStrategy.LocalFastPrecise,
            null,
            new PipelineStage { Name = "a", ModelId = "nope" },
            new PipelineStage { Name = "b", Capability = "translate" },
            new PipelineStage { Name = "c", Capability = "summarize", Check = new PipelineCheck { Kind = PipelineCheckKind.Model, Model = "judge" } });

        var outcome = PipelinePlanner.Plan(spec, Catalog, 3);

        Assert.Equal(["stages[0].modelId", "stages[1].capability", "stages[2].check.model"], outcome.Errors.Select(e => e.Field));
        Assert.Contains("'nope'", outcome.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("summarize", outcome.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shape_errors_name_their_field()
    {
        var spec = Spec(
            PipelineStrategy.LocalFastPrecise,
            -1m,
            new PipelineStage { Name = "a", Capability = "summarize", Input = "{{stages.b.output}}" },
            new PipelineStage { Name = "b", ModelId = "local-fast", Capability = "summarize" },
            new PipelineStage { Name = "b", Capability = "summarize", Input = "{{other}}" },
            new PipelineStage { Name = "d e", Capability = "summarize", Check = new PipelineCheck { Kind = PipelineCheckKind.Regex, Pattern = "(" } });

        var fields = PipelinePlanner.Plan(spec, Catalog, 3).Errors.Select(e => e.Field).ToArray();

        Assert.Equal(["maxCost", "stages[0].input", "stages[1].modelId", "stages[2].name", "stages[2].input", "stages[3].name", "stages[3].check.pattern"], fields);
    }

    [Fact]
    public void An_estimate_counts_the_template_the_input_and_the_referenced_outputs_limits()
    {
        // One unit per input token: the estimate is the token count.
        ModelInfo[] models = [Model("m", true, 1, 0.5, perThousandIn: 1000m, caps: ["x"], maxOut: 100)];
        var spec = new PipelineSpec
        {
            Input = "abcd",
            Strategy = PipelineStrategy.CostOptimized,
            Stages =
            [
                new PipelineStage { Name = "a", Capability = "x" },
                new PipelineStage { Name = "b", Capability = "x", MaxOutputTokens = 10 },
                new PipelineStage { Name = "c", Capability = "x", Input = "ab {{input}} {{stages.a.output}} {{stages.b.output}}" },
            ],
        };

        var plan = Planned(spec, models);

        Assert.Equal(4 + ModelInfo.PromptOverheadTokens, plan.Stages[0].EstimatedCost);
        Assert.Equal(100 + ModelInfo.PromptOverheadTokens, plan.Stages[1].EstimatedCost);
        Assert.Equal(5 + 4 + 100 + 10 + ModelInfo.PromptOverheadTokens, plan.Stages[2].EstimatedCost);
    }
}
