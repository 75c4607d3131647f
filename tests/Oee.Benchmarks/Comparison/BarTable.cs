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
        text.AppendLine(CultureInfo.InvariantCulture, $"## Issue 13's bars: {passed} of {judged} met");
        text.AppendLine();
        text.AppendLine("| bar | ratio measured | bar | verdict | from |");
        text.AppendLine("| --- | ---: | --- | --- | --- |");
        foreach (var bar in bars)
        {
            var value = double.IsNaN(bar.Value) ? "n/a" : bar.Value.ToString("0.00", CultureInfo.InvariantCulture) + "×";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {bar.Label} | {value} | {bar.Target} | {bar.Verdict} | {bar.Detail} |");
        }

        return text.ToString();
    }

    /// <summary>One figure per measured bar (scenario "compare"), with the bar and the verdict as parameters.</summary>
    public static IEnumerable<Figure> AsFigures(IReadOnlyList<Bar> bars) =>
        bars.Where(b => b.Ratio is not null).Select(b => new Figure(
            "compare",
            b.Label,
            new Dictionary<string, string> { ["bar"] = b.Target, ["verdict"] = b.Verdict },
            Ratios.Unit,
            b.Ratio!.Samples));
}
