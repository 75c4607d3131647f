using Oee.Grains.Contracts;

namespace Oee.Grains.Pipelines;

/// <summary>
/// Cost arithmetic that stops at <see cref="decimal.MaxValue"/> instead of throwing. Estimates multiply prices (which
/// have no upper bound) by token counts and add them up stage by stage: an <see cref="OverflowException"/> there left the
/// planner unhandled (a 500, not a 400 naming the stage), and the token sums, when they were ints, wrapped to a negative
/// estimate that fit any maxCost. A saturated estimate passes every maxCost, so the planner refuses it as any other.
/// </summary>
internal static class SaturatingCost
{
    /// <summary>What a call with these tokens costs at <paramref name="pricing"/>, or <see cref="decimal.MaxValue"/> past it.</summary>
    public static decimal Of(ModelPricing pricing, long inputTokens, long outputTokens)
    {
        try
        {
            return pricing.PerCall + ((pricing.PerThousandInputTokens * inputTokens) + (pricing.PerThousandOutputTokens * outputTokens)) / 1000m;
        }
        catch (OverflowException)
        {
            return decimal.MaxValue;
        }
    }

    /// <summary><paramref name="a"/> + <paramref name="b"/> (costs, never negative), or <see cref="decimal.MaxValue"/> past it.</summary>
    public static decimal Add(decimal a, decimal b)
    {
        try
        {
            return a + b;
        }
        catch (OverflowException)
        {
            return decimal.MaxValue;
        }
    }

    /// <summary>The sum of <paramref name="costs"/>, or <see cref="decimal.MaxValue"/> past it.</summary>
    public static decimal Sum(IEnumerable<decimal> costs) => costs.Aggregate(0m, Add);
}
