using System.Text;
using System.Text.Json.Nodes;

namespace Oee.Api.Tests.Security;

/// <summary>One generated request: what to send, and a line that names it in a failure.</summary>
public sealed record HostileRequest(HttpMethod Method, string Url, HttpContent? Body, IReadOnlyList<KeyValuePair<string, string>> Headers, string Description)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Url) { Content = Body };
        foreach (var (name, value) in Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }
}

/// <summary>
/// Generates malformed and hostile requests for every operation of the API's own OpenAPI document
/// (so new endpoints are covered without a change here), deterministically from a seed: hostile path
/// values, wrong-typed and extreme query values, malformed and mutated JSON bodies, and header abuse.
/// </summary>
public static class HostileRequests
{
    /// <summary>Values for path segments and query strings: traversal, injection, extremes, unicode, encodings.</summary>
    public static readonly string[] HostileText =
    [
        "", " ", "..", "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f", "%00", "a%00b", "%ff%fe",
        "' OR '1'='1", "'; DROP TABLE oee_task; --", "\" OR \"\"=\"", "$(reboot)", "`id`", "<script>alert(1)</script>",
        "{{7*7}}", "${jndi:ldap://x}", "-1", "0", "99999999999999999999999999", "1e309", "NaN", "-0", "0x10",
        "true", "null", "[]", "{}", new string('a', 10_000), "ǅ𝔘𝔫𝔦𝔠𝔬𝔡𝔢🚀", "\u202Eevil", "%E2%80%AE", "a/b", "a\\b", "a?b", "a#b",
    ];

    // Header values must be ASCII for HttpClient to send them at all.
    private static readonly string[] HostileHeaderText = [.. HostileText.Where(t => t.All(char.IsAscii))];

    /// <summary>JSON values that replace one member of a valid body.</summary>
    public static readonly string[] HostileJsonValues =
    [
        "null", "true", "-1", "0", "1e309", "-1e309", "99999999999999999999999999999", "1.5", "\"\"", "\"' OR 1=1 --\"",
        "\"../../etc/passwd\"", "\"\\u0000\"", "\"\\ud800\"", "[]", "{}", "[[[[[[[[[[]]]]]]]]]]", "\"" + new string('x', 100_000) + "\"",
        "{\"$ne\":null}", "\"P99999999D\"", "\"-PT1S\"", "\"9999-12-31T23:59:59Z\"", "\"0001-01-01T00:00:00Z\"",
    ];

    /// <summary>Whole bodies that are not what any operation takes.</summary>
    public static readonly string[] MalformedBodies =
    [
        "", "{", "}", "[", "null", "0", "\"x\"", "[]", "{\"a\":}", "{'single':'quotes'}", "{\"a\":1,}", "{\"a\" 1}",
        "{\"name\":\"a\",\"name\":\"b\",\"handler\":\"echo\"}", new string('[', 10_000) + new string(']', 10_000),
        "{\"a\":" + new string('[', 5_000) + "1" + new string(']', 5_000) + "}", "1e400", "{\"tasks\":" + new string('{', 3000) + "}",
        "\uFEFF{\"name\":\"bom\"}", "{\"__proto__\":{\"admin\":true}}",
    ];

    /// <summary>Valid bodies per operation, mutated one member at a time; an operation not listed gets <c>{}</c>.</summary>
    private static readonly Dictionary<string, string> Templates = new(StringComparer.Ordinal)
    {
        ["POST /api/tasks"] = """{"name":"fz","handler":"echo","queue":"fuzz-target","priority":5,"tags":["a"],"input":{"a":1},"maxAttempts":1,"timeout":"PT1S","delay":"PT1H"}""",
        ["POST /api/tasks/batch"] = """{"tasks":[{"name":"fz","handler":"echo","queue":"fuzz-target","delay":"PT1H"}]}""",
        ["PUT /api/queues/{name}"] = """{"maxConcurrency":2,"paused":false,"maxPending":10,"startRate":1,"startBurst":1,"maxPerKey":1,"agingInterval":"PT1M"}""",
        ["PUT /api/schedules/{name}"] = """{"cron":"0 3 * * *","timeZone":"UTC","task":{"name":"fz","handler":"echo"},"missedRuns":"skip","overlap":"allow","paused":true}""",
    };

    /// <summary>
    /// The requests for every operation. With <paramref name="foreignIds"/> (another tenant's real task ids),
    /// path ids are often one of them, and bodies often name one as their id, a dependency or a parent.
    /// </summary>
    public static List<HostileRequest> For(JsonObject openApi, int seed, int perOperation, IReadOnlyList<string>? foreignIds = null)
    {
        var random = new Random(seed);
        var requests = new List<HostileRequest>();
        foreach (var (path, operations) in openApi["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                var key = $"{method.ToUpperInvariant()} {path}";
                var parameters = operation!["parameters"]?.AsArray().Select(p => (Name: p!["name"]!.GetValue<string>(), In: p["in"]!.GetValue<string>())).ToList() ?? [];
                var hasBody = operation["requestBody"] is not null || method is "post" or "put";
                for (var i = 0; i < perOperation; i++)
                {
                    requests.Add(Build(random, new HttpMethod(method.ToUpperInvariant()), path, parameters, hasBody ? Templates.GetValueOrDefault(key, "{}") : null, i, foreignIds));
                }
            }
        }

        return requests;
    }

    private static HostileRequest Build(Random random, HttpMethod method, string path, List<(string Name, string In)> parameters, string? template, int round, IReadOnlyList<string>? foreignIds)
    {
        var description = new StringBuilder($"{method} {path}");
        var url = path;
        if (foreignIds is { Count: > 0 } && template is not null && random.Next(2) == 0)
        {
            template = WithForeignId(random, template, foreignIds);
        }

        foreach (var (name, _) in parameters.Where(p => p.In == "path"))
        {
            // Half the time a plausible value (another tenant's real id, when given), so that query, body
            // and header abuse reach the handler.
            var value = random.Next(2) == 0
                ? foreignIds is { Count: > 0 } ? Pick(random, foreignIds) : "fuzz-target"
                : Pick(random, HostileText);
            url = url.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
            description.Append($" {name}={Short(value)}");
        }

        var query = new List<string>();
        foreach (var (name, _) in parameters.Where(p => p.In == "query"))
        {
            if (random.Next(3) == 0)
            {
                continue;
            }

            var value = Pick(random, HostileText);
            query.Add($"{name}={Uri.EscapeDataString(value)}");
            if (random.Next(5) == 0)
            {
                query.Add($"{name}={Uri.EscapeDataString(Pick(random, HostileText))}");
            }

            description.Append($" ?{name}={Short(value)}");
        }

        if (query.Count > 0)
        {
            url += "?" + string.Join('&', query);
        }

        HttpContent? body = null;
        if (template is not null)
        {
            var text = round % 3 == 0 ? Pick(random, MalformedBodies) : Mutate(random, template);
            body = random.Next(20) == 0
                ? new ByteArrayContent([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]) // {"\xFF\xFE":1}: not UTF-8
                : new StringContent(text, Encoding.UTF8, "application/json");
            if (random.Next(10) == 0)
            {
                body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(random.Next(2) == 0 ? "text/plain" : "application/xml");
            }

            description.Append($" body={Short(text)}");
        }

        var headers = new List<KeyValuePair<string, string>>();
        switch (random.Next(12))
        {
            case 0:
                headers.Add(new("X-Fuzz", new string('h', 40 * 1024))); // over the 32 KiB header limit
                description.Append(" +huge header");
                break;
            case 1:
                for (var i = 0; i < 80; i++)
                {
                    headers.Add(new($"X-Fuzz-{i}", "x")); // over the 64-header limit
                }

                description.Append(" +80 headers");
                break;
            case 2:
                headers.Add(new("Authorization", Pick(random, ["Bearer", "Bearer ", "Basic YTpi", "Bearer oee_x_y", "Bearer " + new string('k', 5000)])));
                description.Append(" +bad Authorization");
                break;
            case 3:
                headers.Add(new("X-Api-Key", Pick(random, HostileHeaderText)));
                description.Append(" +bad X-Api-Key");
                break;
            case 4:
                headers.Add(new("Last-Event-ID", Pick(random, HostileHeaderText)));
                description.Append(" +bad Last-Event-ID");
                break;
        }

        return new HostileRequest(method, url, body, headers, description.ToString());
    }

    // A task body (or a batch's first task) naming another tenant's task as its id, a dependency or its parent.
    private static string WithForeignId(Random random, string template, IReadOnlyList<string> foreignIds)
    {
        var node = JsonNode.Parse(template)!.AsObject();
        var task = node["tasks"] is JsonArray tasks ? tasks[0]!.AsObject() : node;
        if (!task.ContainsKey("handler"))
        {
            return template;
        }

        var id = Pick(random, foreignIds);
        switch (random.Next(3))
        {
            case 0: task["id"] = id; break;
            case 1: task["dependsOn"] = new JsonArray(id); task.Remove("delay"); break;
            default: task["parentId"] = id; break;
        }

        return node.ToJsonString();
    }

    private static string Mutate(Random random, string template)
    {
        var node = JsonNode.Parse(template)!;
        var target = node is JsonObject root && root["tasks"] is JsonArray tasks && random.Next(2) == 0 ? tasks[0]!.AsObject() : node.AsObject();
        var members = target.Select(m => m.Key).ToList();
        var member = members.Count == 0 || random.Next(4) == 0 ? "unknownMember" : Pick(random, members);
        var value = Pick(random, HostileJsonValues);

        // Replace the member's value in the text, so that values no JSON writer would emit (1e309,
        // lone surrogates) reach the server as they are.
        target.Remove(member);
        var rest = target.ToJsonString();
        var spliced = rest.Length > 2 ? $"{{\"{member}\":{value},{rest[1..]}" : $"{{\"{member}\":{value}}}";
        if (ReferenceEquals(target, node))
        {
            return spliced;
        }

        var outer = node.AsObject();
        outer.Remove("tasks");
        return $"{{\"tasks\":[{spliced}]}}";
    }

    private static string Pick(Random random, IReadOnlyList<string> values) => values[random.Next(values.Count)];

    private static string Short(string value) => value.Length <= 40 ? value.Replace("\n", "\\n", StringComparison.Ordinal) : value[..40] + $"…({value.Length})";
}
