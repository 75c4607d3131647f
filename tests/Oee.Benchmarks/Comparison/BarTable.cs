using System.Globalization;
using System.Text;
using Oee.Benchmarks.Measurement;

namespace Oee.Benchmarks.Comparison;

/// <summary>The bars as a Markdown table (measured ratio, bar, verdict), and as figures for the JSON lines.</summary>
internal static class BarTable
{
    public static string Render(IReadOnlyList<Bar> bars)
    {
        var text = new StringBuilder();
        var passed = bars.Count(b => b.Verdict == "pass");
        var judged = bars.Count(b => b.Verdict is "pass" or "FAIL");
        var missing = bars.Count(b => b.Kind != BarKind.Reported && b.Verdict == "n/a");
        text.AppendLine(CultureInfo.InvariantCulture, $"## Issue 13's bars: {passed} of {judged} met{(missing > 0 ? $", {missing} not measured (n/a)" : "")}");
        text.AppendLine();
        text.AppendLine("| bar | ratio measured | bar | verdict | from |");
        text.AppendLine("| --- | ---: | --- | --- | --- |");
        foreach (var bar in bars)
        {
            var value = double.IsNaN(bar.Value) ? "n/a" : bar.Value.ToString("0.000", CultureInfo.InvariantCulture) + "×" + Spread(bar);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {bar.Label} | {value} | {bar.Target} | {bar.Verdict} | {bar.Detail} |");
        }

        return text.ToString();
    }

    // A ratio with a sample per round (drain's targets take turns): the rounds' lowest and highest beside their median.
    private static string Spread(Bar bar) =>
        bar.Ratio is { Samples.Count: > 1 } ratio
            ? string.Create(CultureInfo.InvariantCulture, $" ({ratio.Min:0.00}–{ratio.Max:0.00})")
            : "";

    /// <summary>One figure per measured bar (scenario "compare"), with the bar and the verdict as parameters.</summary>
    public static IEnumerable<Figure> AsFigures(IReadOnlyList<Bar> bars) =>
        bars.Where(b => b.Ratio is not null).Select(b => new Figure(
            "compare",
            b.Label,
            new Dictionary<string, string> { ["bar"] = b.Target, ["verdict"] = b.Verdict },
            Ratios.Unit,
            b.Ratio!.Samples));
}
