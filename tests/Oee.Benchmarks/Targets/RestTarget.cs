using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Oee.Benchmarks.Targets;

/// <summary>
/// The engine over its REST API: with a pooled HTTP/1.1 connection per concurrent caller, or over HTTP/2
/// (cleartext, prior knowledge) with the callers' requests multiplexed on one connection.
/// </summary>
internal sealed class RestTarget(
    string description,
    HttpClient http,
    IReadOnlyList<int> siloProcessIds,
    IReadOnlyList<IAsyncDisposable> owned) : IBenchTarget
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    // The same body for every submit of a queue (and batch size): built once, so the client spends its CPU on HTTP only.
    private readonly ConcurrentDictionary<(string Queue, string Handler, string Input), byte[]> bodies = new();
    private readonly ConcurrentDictionary<(string Queue, string Handler, string Input, int Count), byte[]> batchBodies = new();

    public string Description { get; } = description;

    public IReadOnlyList<int> SiloProcessIds { get; } = siloProcessIds;

    /// <summary>The API's address (for the <c>events</c> scenario's SSE subscriber).</summary>
    public Uri BaseAddress => http.BaseAddress!;

    /// <summary>The HTTP version every request to the API takes (the <c>events</c> scenario's SSE subscriber too).</summary>
    public Version RequestVersion => http.DefaultRequestVersion;

    /// <summary>
    /// An HTTP client for the API at <paramref name="baseUrl"/>: HTTP/1.1 allowing <paramref name="connections"/>
    /// connections, or with <paramref name="http2"/> HTTP/2 only, on one connection (another only once the
    /// server's limit of streams per connection is reached). Every request the client makes takes its version.
    /// </summary>
    public static HttpClient CreateClient(string baseUrl, int connections, bool http2 = false) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = http2 ? int.MaxValue : connections,
        EnableMultipleHttp2Connections = true,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseProxy = false,
    })
    {
        BaseAddress = new Uri(baseUrl),
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestVersion = http2 ? HttpVersion.Version20 : HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    public async Task<string> SubmitAsync(string queue, string handler, string input, CancellationToken cancellationToken)
    {
        var body = bodies.GetOrAdd((queue, handler, input), static key => Encoding.UTF8.GetBytes(TaskJson(key.Queue, key.Handler, key.Input)));
        using var response = await PostTaskAsync(http, body, cancellationToken);

        // The id is the last segment of the Location header (/api/tasks/{id}): no need to parse the body.
        var location = response.Headers.Location?.OriginalString
            ?? throw new InvalidOperationException("POST /api/tasks answered without a Location header.");
        return Uri.UnescapeDataString(location[(location.LastIndexOf('/') + 1)..]);
    }

    public async Task<string> SubmitKeyedAsync(string queue, string handler, string input, string concurrencyKey, CancellationToken cancellationToken)
    {
        var body = bodies.GetOrAdd((queue, handler, input + "\u0000" + concurrencyKey), _ => Encoding.UTF8.GetBytes(
            TaskJson(queue, handler, input)[..^1] + $",\"concurrencyKey\":{JsonSerializer.Serialize(concurrencyKey)}}}"));
        using var response = await PostTaskAsync(http, body, cancellationToken);
        var location = response.Headers.Location?.OriginalString
            ?? throw new InvalidOperationException("POST /api/tasks answered without a Location header.");
        return Uri.UnescapeDataString(location[(location.LastIndexOf('/') + 1)..]);
    }

    public async Task<string> SubmitAtAsync(string queue, string handler, string input, DateTimeOffset runAt, CancellationToken cancellationToken)
    {
        var json = TaskJson(queue, handler, input);
        var body = Encoding.UTF8.GetBytes($"{json[..^1]},\"runAt\":\"{runAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)}\"}}");
        using var response = await PostTaskAsync(http, body, cancellationToken);
        var location = response.Headers.Location?.OriginalString
            ?? throw new InvalidOperationException("POST /api/tasks answered without a Location header.");
        return Uri.UnescapeDataString(location[(location.LastIndexOf('/') + 1)..]);
    }

    public async Task ConfigurePerKeyAsync(string queue, int maxConcurrency, int maxPerKey, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsJsonAsync($"/api/queues/{Uri.EscapeDataString(queue)}", new { maxConcurrency, maxPerKey, paused = false }, Json, cancellationToken);
        await EnsureSuccess(response, cancellationToken);
    }

    public async Task SubmitBatchAsync(string queue, string handler, string input, int count, CancellationToken cancellationToken)
    {
        var body = batchBodies.GetOrAdd((queue, handler, input, count), static key => Encoding.UTF8.GetBytes(
            $"{{\"tasks\":[{string.Join(',', Enumerable.Repeat(TaskJson(key.Queue, key.Handler, key.Input), key.Count))}]}}"));
        using var response = await PostMinimalAsync(http, "/api/tasks/batch", body, cancellationToken);
        EnsureMinimalAnswer(response);
        var batch = await response.Content.ReadFromJsonAsync<BatchDto>(Json, cancellationToken);
        if (batch?.Created != count)
        {
            throw new InvalidOperationException($"POST /api/tasks/batch created {batch?.Created} of {count} tasks.");
        }
    }

    public async Task SubmitFanOutAsync(string queue, string handler, string input, int dependents, CancellationToken cancellationToken)
    {
        var root = TaskJson(queue, handler, input);
        var leaf = root[..^1] + ",\"dependsOn\":[\"#0\"]}";
        var body = Encoding.UTF8.GetBytes($"{{\"tasks\":[{root},{string.Join(',', Enumerable.Repeat(leaf, dependents))}]}}");
        using var response = await PostMinimalAsync(http, "/api/tasks/batch", body, cancellationToken);
        EnsureMinimalAnswer(response);
        var batch = await response.Content.ReadFromJsonAsync<BatchDto>(Json, cancellationToken);
        if (batch?.Created != dependents + 1)
        {
            throw new InvalidOperationException($"POST /api/tasks/batch created {batch?.Created} of {dependents + 1} tasks of a fan-out.");
        }
    }

    public async Task ConfigureQueueAsync(string queue, int maxConcurrency, bool paused, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsJsonAsync($"/api/queues/{Uri.EscapeDataString(queue)}", new { maxConcurrency, paused }, Json, cancellationToken);
        await EnsureSuccess(response, cancellationToken);
    }

    public async Task<QueueCounters> GetQueueAsync(string queue, CancellationToken cancellationToken)
    {
        var q = await http.GetFromJsonAsync<QueueDto>($"/api/queues/{Uri.EscapeDataString(queue)}", Json, cancellationToken)
            ?? throw new InvalidOperationException($"GET /api/queues/{queue} returned nothing.");
        return new QueueCounters(q.Enqueued, q.Started, q.Finished, q.Pending, q.Running);
    }

    public async IAsyncEnumerable<TaskTimes> ListDoneAsync(string queue, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var url = $"/api/tasks?status=done&limit=500&queue={Uri.EscapeDataString(queue)}"
                + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await http.GetFromJsonAsync<PageDto>(url, Json, cancellationToken)
                ?? throw new InvalidOperationException($"GET {url} returned nothing.");
            foreach (var item in page.Items)
            {
                yield return new TaskTimes(item.Id, item.CreatedAt, item.StartedAt, item.CompletedAt);
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    public async Task<int> ClearFinishedAsync(CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync("/api/tasks/finished", cancellationToken);
        await EnsureSuccess(response, cancellationToken);
        var cleared = await response.Content.ReadFromJsonAsync<ClearedDto>(Json, cancellationToken);
        return cleared?.Removed ?? 0;
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        foreach (var resource in owned)
        {
            await resource.DisposeAsync();
        }
    }

    /// <summary>
    /// POST /api/tasks with <c>Prefer: return=minimal</c>: the API answers 201 with Location and no body, and does
    /// not have the engine send the task back (only Location is read here, as the peers answer a bare id).
    /// </summary>
    internal static Task<HttpResponseMessage> PostTaskAsync(HttpClient http, byte[] body, CancellationToken cancellationToken) =>
        PostMinimalAsync(http, "/api/tasks", body, cancellationToken);

    /// <summary>
    /// A POST of a JSON body with <c>Prefer: return=minimal</c> (a batch's answer then has each task's id and outcome
    /// but not the task); the response once it succeeded.
    /// </summary>
    private static async Task<HttpResponseMessage> PostMinimalAsync(HttpClient http, string path, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(body),
            Version = http.DefaultRequestVersion,
            VersionPolicy = http.DefaultVersionPolicy,
        };
        request.Content.Headers.ContentType = JsonType;
        request.Headers.TryAddWithoutValidation("Prefer", "return=minimal");
        var response = await http.SendAsync(request, cancellationToken);
        try
        {
            await EnsureSuccess(response, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The body of one benchmark task, as POST /api/tasks takes it (and each item of a batch).</summary>
    internal static string TaskJson(string queue, string handler, string input) =>
        $$"""{"name":"{{BenchTask.Name}}","handler":{{JsonSerializer.Serialize(handler)}},"queue":{{JsonSerializer.Serialize(queue)}},"input":{{input}}}""";

    // A batch answered with whole tasks would be measured as if it were a receipt's: an API build from before session 19.
    private static void EnsureMinimalAnswer(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Preference-Applied", out var applied) || !applied.Contains("return=minimal", StringComparer.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} ignored Prefer: return=minimal (no Preference-Applied); this API build answers batches with whole tasks.");
        }
    }

    private static async Task EnsureSuccess(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        }
    }

    private sealed record QueueDto(long Enqueued, long Started, long Finished, int Pending, int Running);

    private sealed record ItemDto(string Id, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt);

    private sealed record PageDto(List<ItemDto> Items, string? NextCursor);

    private sealed record ClearedDto(int Removed);

    private sealed record BatchDto(int Created);
}
