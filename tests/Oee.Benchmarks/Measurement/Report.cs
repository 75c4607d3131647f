using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Oee.Benchmarks.Measurement;

/// <summary>Prints the figures: a table for people, then one JSON line per figure (also appended to a file when asked).</summary>
internal static class Report
{
    public static async Task WriteAsync(IReadOnlyList<Figure> figures, string machine, string? outFile, TextWriter output, IReadOnlyList<string>? sections = null)
    {
        await output.WriteLineAsync(Table(figures, machine));
        foreach (var section in sections ?? [])
        {
            await output.WriteLineAsync(section);
        }

        var lines = figures.Select(JsonLine).ToList();
        foreach (var line in lines)
        {
            await output.WriteLineAsync(line);
        }

        if (outFile is not null)
        {
            await File.AppendAllLinesAsync(outFile, lines);
        }
    }

    private static string Table(IReadOnlyList<Figure> figures, string machine)
    {
        string[] header = ["scenario", "figure", "parameters", "median", "min", "max", "unit", "runs"];
        var rows = figures.Select(f => new[]
        {
            f.Scenario, f.Name, Parameters(f.Parameters), Number(f.Median), Number(f.Min), Number(f.Max), f.Unit,
            f.Samples.Count.ToString(CultureInfo.InvariantCulture),
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {machine}");
        text.AppendLine(Row(header, widths));
        text.AppendLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            text.AppendLine(Row(row, widths));
        }

        return text.ToString();
    }

    private static string Row(string[] cells, int[] widths) =>
        string.Join(" | ", cells.Select((c, i) => i is >= 3 and <= 5 ? c.PadLeft(widths[i]) : c.PadRight(widths[i])));

    private static string Parameters(IReadOnlyDictionary<string, string> parameters) =>
        string.Join(' ', parameters.Select(kv => $"{kv.Key}={kv.Value}"));

    private static string Number(double value) => double.IsNaN(value) ? "n/a" : Math.Abs(value) switch
    {
        >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.000", CultureInfo.InvariantCulture),
    };

    /// <summary>A figure back from its JSON line (a child benchmark process's <c>--out</c> file); a null number is NaN.</summary>
    public static Figure ParseLine(string line)
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        var parameters = root.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        var samples = root.GetProperty("samples").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN).ToList();
        return new Figure(root.GetProperty("scenario").GetString() ?? "", root.GetProperty("figure").GetString() ?? "", parameters, root.GetProperty("unit").GetString() ?? "", samples);
    }

    private static string JsonLine(Figure figure)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("scenario", figure.Scenario);
            json.WriteString("figure", figure.Name);
            json.WriteStartObject("parameters");
            foreach (var (key, value) in figure.Parameters)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            WriteNumber(json, "value", figure.Value);
            json.WriteString("unit", figure.Unit);
            json.WriteNumber("runs", figure.Samples.Count);
            WriteNumber(json, "median", figure.Median);
            WriteNumber(json, "min", figure.Min);
            WriteNumber(json, "max", figure.Max);
            json.WriteStartArray("samples");
            foreach (var sample in figure.Samples)
            {
                WriteNumber(json, null, sample);
            }

            json.WriteEndArray();
            json.WriteString("at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteNumber(Utf8JsonWriter json, string? name, double value)
    {
        if (name is not null)
        {
            json.WritePropertyName(name);
        }

        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteNumberValue(Math.Round(value, 3));
        }
    }
}
