using System.Text.Json;
using System.Text.RegularExpressions;
using Oee.Grains.Contracts;

namespace Oee.Grains.Pipelines;

/// <summary>The declared checks of a stage's output (a validator model's check runs as a model call: see <see cref="PipelineRunner"/>).</summary>
internal static class OutputChecks
{
    /// <summary>The longest a regex check may take on one output.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The prompt a validator model gets.</summary>
    public static string ValidatorPrompt(string stagePrompt, string output) =>
        $"Answer YES or NO only. Is the following answer an acceptable response to the request?\n\nRequest:\n{stagePrompt}\n\nAnswer:\n{output}";

    /// <summary>Whether a validator model's answer approves (it starts with "yes", case and leading white space ignored).</summary>
    public static bool Approves(string answer) => answer.TrimStart().StartsWith("yes", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when <paramref name="output"/> passes a declared (non-model) check; else why not.</summary>
    public static string? Problem(PipelineCheck check, string output) => check.Kind switch
    {
        PipelineCheckKind.NonEmpty => string.IsNullOrWhiteSpace(output) ? "the output is empty" : null,
        PipelineCheckKind.Regex => Matches(check.Pattern!, output) ? null : $"the output does not match /{check.Pattern}/",
        PipelineCheckKind.Json => IsJson(output) ? null : "the output is not valid JSON",
        _ => null,
    };

    private static bool Matches(string pattern, string output)
    {
        try
        {
            return Regex.IsMatch(output, pattern, RegexOptions.None, MatchTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
