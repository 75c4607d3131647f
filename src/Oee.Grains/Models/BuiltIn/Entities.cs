using System.Text.Json;
using System.Text.RegularExpressions;

namespace Oee.Grains.Models.BuiltIn;

/// <summary>
/// <c>regex-entities</c>: the e-mail addresses, URLs, ISO dates (<c>yyyy-mm-dd</c>) and other numbers of
/// a text, each list distinct and in order of first appearance, as JSON
/// <c>{"emails":[...],"urls":[...],"dates":[...],"numbers":[...]}</c>.
/// </summary>
internal static partial class Entities
{
    /// <summary>The entities of <paramref name="text"/> as JSON.</summary>
    public static string Extract(string text)
    {
        var emails = Distinct(EmailRegex().Matches(text));
        var urls = Distinct(UrlRegex().Matches(text));
        var dates = Distinct(DateRegex().Matches(text));

        // Numbers are looked for in what the other kinds left, so a date's or address's digits are not counted twice.
        var rest = DateRegex().Replace(UrlRegex().Replace(EmailRegex().Replace(text, " "), " "), " ");
        var numbers = Distinct(NumberRegex().Matches(rest));
        return JsonSerializer.Serialize(new Dictionary<string, string[]>
        {
            ["emails"] = emails,
            ["urls"] = urls,
            ["dates"] = dates,
            ["numbers"] = numbers,
        });
    }

    private static string[] Distinct(MatchCollection matches) =>
        [.. matches.Select(m => m.Value.TrimEnd('.', ',', ';', ':', ')')).Distinct(StringComparer.Ordinal)];

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"https?://[^\s""'<>]+", RegexOptions.CultureInvariant)]
    private static partial Regex UrlRegex();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}\b", RegexOptions.CultureInvariant)]
    private static partial Regex DateRegex();

    [GeneratedRegex(@"(?<![\p{L}\p{N}])-?\d+(?:\.\d+)?(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex NumberRegex();
}
