using System.Net;

namespace Oee.Api.Tests.Security;

/// <summary>
/// Sends generated hostile requests (<see cref="HostileRequests"/>) and checks what every answer must be,
/// whoever sends them: never a 5xx, and every 4xx the application writes a problem body. The caller checks
/// the rest of each answer (what a 2xx may show or change) and adds its own failures.
/// </summary>
internal sealed class HostileAnswers
{
    // Statuses Kestrel answers itself before any middleware runs, with no body: 431 (headers too
    // large or too many), 414 (request line too long).
    private static readonly HashSet<HttpStatusCode> KestrelRejections = [HttpStatusCode.RequestHeaderFieldsTooLarge, HttpStatusCode.RequestUriTooLong];

    public List<string> Failures { get; } = [];

    public Dictionary<int, int> Statuses { get; } = [];

    /// <summary>Sends one request; its status and body, or null when the answer already broke a rule (recorded).</summary>
    public async Task<(int Status, string Body)?> Send(HttpClient http, HostileRequest request)
    {
        using var message = request.ToMessage();
        // Headers first: an accepted event stream (SSE) never ends, so its body is not read.
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        var status = (int)response.StatusCode;
        Statuses[status] = Statuses.GetValueOrDefault(status) + 1;
        var body = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? "" : await response.Content.ReadAsStringAsync();
        if (status >= 500)
        {
            Failures.Add($"{status} for {request.Description}: {Shorten(body)}");
            return null;
        }

        if (status >= 400 && !KestrelRejections.Contains(response.StatusCode) && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            Failures.Add($"{status} without a problem body for {request.Description}");
            return null;
        }

        return (status, body);
    }

    /// <summary>The assertion message: how many answers were wrong, the statuses seen, the first failures.</summary>
    public string Summary(int requests) =>
        $"{Failures.Count} of {requests} answers were wrong (statuses {string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}):\n{string.Join('\n', Failures.Take(25))}";

    public static string Shorten(string body) => body[..Math.Min(300, body.Length)];
}
