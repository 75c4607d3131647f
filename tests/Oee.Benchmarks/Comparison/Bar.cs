using System.Globalization;
using Oee.Benchmarks.Measurement;

namespace Oee.Benchmarks.Comparison;

/// <summary>How a ratio is judged against its bar.</summary>
internal enum BarKind
{
    /// <summary>Passes when the ratio is at least the threshold.</summary>
    AtLeast,

    /// <summary>Passes when the ratio is at most the threshold.</summary>
    AtMost,

    /// <summary>No bar: reported only.</summary>
    Reported,
}

/// <summary>One of issue 13's bars: a measured ratio (null when it was not measured), judged against a threshold.</summary>
internal sealed record Bar(string Label, Figure? Ratio, BarKind Kind, double Threshold, string Detail)
{
    /// <summary>The measured ratio, NaN when missing.</summary>
    public double Value => Ratio?.Median ?? double.NaN;

    /// <summary>"≥ 2.0", "≤ 0.5" or "—".</summary>
    public string Target => Kind switch
    {
        BarKind.AtLeast => string.Create(CultureInfo.InvariantCulture, $"≥ {Threshold:0.0#}"),
        BarKind.AtMost => string.Create(CultureInfo.InvariantCulture, $"≤ {Threshold:0.0#}"),
        _ => "—",
    };

    /// <summary>"pass", "FAIL", "n/a" (not measured) or "reported".</summary>
    public string Verdict
    {
        get
        {
            if (double.IsNaN(Value))
            {
                return "n/a";
            }

            return Kind switch
            {
                BarKind.AtLeast => Value >= Threshold ? "pass" : "FAIL",
                BarKind.AtMost => Value <= Threshold ? "pass" : "FAIL",
                _ => "reported",
            };
        }
    }
}
