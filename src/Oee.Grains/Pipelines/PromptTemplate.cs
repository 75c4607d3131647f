using System.Text;
using System.Text.RegularExpressions;

namespace Oee.Grains.Pipelines;

/// <summary>
/// A stage's prompt template: literal text with <c>{{input}}</c> (the pipeline input) and
/// <c>{{stages.NAME.output}}</c> (an earlier stage's output). Any other <c>{{...}}</c> is an error.
/// </summary>
internal sealed partial class PromptTemplate
{
    private readonly List<Part> parts;

    private PromptTemplate(List<Part> parts) => this.parts = parts;

    /// <summary>The stages the template refers to, in order of appearance (repeats kept).</summary>
    public IEnumerable<string> StageReferences => parts.Where(p => p.Kind == PartKind.Stage).Select(p => p.Text);

    /// <summary>How many times <c>{{input}}</c> appears.</summary>
    public int InputReferences => parts.Count(p => p.Kind == PartKind.Input);

    /// <summary>UTF-8 bytes of the literal text.</summary>
    public int LiteralBytes => parts.Where(p => p.Kind == PartKind.Literal).Sum(p => Encoding.UTF8.GetByteCount(p.Text));

    /// <summary>Parses a template; null with <paramref name="problem"/> set when it refers to something unknown.</summary>
    public static PromptTemplate? Parse(string template, out string? problem)
    {
        problem = null;
        var parts = new List<Part>();
        var at = 0;
        foreach (Match match in Placeholder().Matches(template))
        {
            if (match.Index > at)
            {
                parts.Add(new Part(PartKind.Literal, template[at..match.Index]));
            }

            var inner = match.Groups[1].Value.Trim();
            if (inner == "input")
            {
                parts.Add(new Part(PartKind.Input, ""));
            }
            else if (StageReference().Match(inner) is { Success: true } stage)
            {
                parts.Add(new Part(PartKind.Stage, stage.Groups[1].Value));
            }
            else
            {
                problem = $"'{{{{{inner}}}}}' is not a reference: use {{{{input}}}} or {{{{stages.NAME.output}}}}.";
                return null;
            }

            at = match.Index + match.Length;
        }

        if (at < template.Length)
        {
            parts.Add(new Part(PartKind.Literal, template[at..]));
        }

        return new PromptTemplate(parts);
    }

    /// <summary>
    /// The UTF-8 bytes <see cref="Render"/> would make, counted without making it: a template that repeats a reference
    /// thousands of times renders to gigabytes, so the runner checks this against its limit first.
    /// </summary>
    public long RenderedBytes(string input, IReadOnlyDictionary<string, string> stageOutputs)
    {
        var inputBytes = Encoding.UTF8.GetByteCount(input);
        var outputBytes = new Dictionary<string, long>(StringComparer.Ordinal);
        var total = 0L;
        foreach (var part in parts)
        {
            total += part.Kind switch
            {
                PartKind.Input => inputBytes,
                PartKind.Stage => outputBytes.TryGetValue(part.Text, out var known)
                    ? known
                    : outputBytes[part.Text] = Encoding.UTF8.GetByteCount(stageOutputs[part.Text]),
                _ => Encoding.UTF8.GetByteCount(part.Text),
            };
        }

        return total;
    }

    /// <summary>The prompt, with the input and the earlier stages' outputs put in.</summary>
    public string Render(string input, IReadOnlyDictionary<string, string> stageOutputs)
    {
        var prompt = new StringBuilder();
        foreach (var part in parts)
        {
            prompt.Append(part.Kind switch
            {
                PartKind.Input => input,
                PartKind.Stage => stageOutputs[part.Text],
                _ => part.Text,
            });
        }

        return prompt.ToString();
    }

    /// <summary>The template of a stage that gives none: the input for the first stage, the previous stage's output after.</summary>
    public static string DefaultFor(string? previousStage) => previousStage is null ? "{{input}}" : $"{{{{stages.{previousStage}.output}}}}";

    [GeneratedRegex(@"\{\{(.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^stages\.([A-Za-z0-9_-]+)\.output$")]
    private static partial Regex StageReference();

    private enum PartKind
    {
        Literal,
        Input,
        Stage,
    }

    private readonly record struct Part(PartKind Kind, string Text);
}
