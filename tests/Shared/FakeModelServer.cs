using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Oee.Tests.Shared;

/// <summary>
/// An OpenAI-compatible model server for tests and benchmarks: Kestrel on 127.0.0.1 (a port from
/// <see cref="LoopbackPorts"/>), answering <c>POST /v1/chat/completions</c> (non-streaming) with
/// <c>usage</c>. Point a catalog model at <see cref="Endpoint"/>.
/// <para>
/// Behaviour is chosen by the request's model name, <c>behaviour[:argument][#tag]</c>; the <c>#tag</c> is
/// ignored except that counters (<c>flaky</c>) are kept per full name, so each test can use its own:
/// </para>
/// <list type="bullet">
/// <item><c>echo</c>: answers the last user message.</item>
/// <item><c>upper</c>: answers the last user message upper-cased.</item>
/// <item><c>fixed:TEXT</c>: answers TEXT.</item>
/// <item><c>slow:MS</c>: waits MS milliseconds (stopping when the client aborts), then echoes.</item>
/// <item><c>hang</c>: waits until the client aborts (at most 10 minutes).</item>
/// <item><c>fail</c>: HTTP 500 every time.</item>
/// <item><c>flaky:N</c>: HTTP 503 for the first N requests with this exact name, then echoes.</item>
/// <item><c>reject</c>: HTTP 400 (not transient: a client must not retry it).</item>
/// <item><c>leak</c>: HTTP 500 whose error message repeats the request's <c>Authorization</c> header (to test that callers mask keys).</item>
/// <item><c>empty</c>: answers an empty message.</item>
/// <item><c>nousage</c>: echoes without a <c>usage</c> member.</item>
/// <item><c>long</c>: answers 4,000 words, cut to the request's token limit.</item>
/// <item><c>ratelimit:S</c>: HTTP 429 with <c>Retry-After: S</c> every time.</item>
/// <item><c>huge:N</c>: answers N characters <c>z</c>, ignoring the token limit (as a server that reads another limit field would), with usage to match.</item>
/// <item><c>usage:IN,OUT</c>: echoes, reporting IN prompt tokens and OUT completion tokens, whatever they are (negative, past the limit).</item>
/// <item>anything else: HTTP 404 (model not found).</item>
/// </list>
/// <para>
/// Every answer waits <see cref="FixedLatency"/> first. A request's token limit (<c>max_completion_tokens</c>,
/// else <c>max_tokens</c>) cuts the answer to limit × 4 UTF-8 bytes (finish reason <c>length</c>). Usage is
/// deterministic: <c>prompt_tokens</c> = Σ over messages of ⌈UTF-8 bytes / 4⌉, <c>completion_tokens</c> =
/// ⌈UTF-8 bytes of the answer / 4⌉. Every request is recorded (<see cref="Requests"/>) with its model, prompt,
/// instructions, limit and <c>Authorization</c> header; a request whose client went away while the server
/// waited counts in <see cref="AbortedRequests"/>.
/// </para>
/// </summary>
public sealed class FakeModelServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeModelRequest> requests = new();
    private readonly ConcurrentDictionary<string, int> counters = new(StringComparer.Ordinal);
    private WebApplication app = null!;
    private int aborted;
    private int inFlight;
    private int sequence;

    private FakeModelServer()
    {
    }

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>The OpenAI base URL, <c>http://127.0.0.1:{port}/v1</c>.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}/v1";

    /// <summary>A latency added before every answer. Default none.</summary>
    public TimeSpan FixedLatency { get; set; }

    /// <summary>Every request received, in arrival order.</summary>
    public IReadOnlyList<FakeModelRequest> Requests => [.. requests];

    /// <summary>Requests whose client aborted them while the server was waiting.</summary>
    public int AbortedRequests => Volatile.Read(ref aborted);

    /// <summary>Requests being answered now.</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    /// <summary>Starts a server on a free loopback port.</summary>
    public static async Task<FakeModelServer> StartAsync(TimeSpan fixedLatency = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = new FakeModelServer { FixedLatency = fixedLatency };
            try
            {
                await server.StartOn(LoopbackPorts.Next());
                return server;
            }
            catch (IOException) when (attempt < 5)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>The recorded requests for one model name.</summary>
    public IReadOnlyList<FakeModelRequest> RequestsFor(string model) => [.. requests.Where(r => r.Model == model)];

    /// <summary>Waits (polling, up to <paramref name="timeout"/>) until <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> otherwise.</summary>
    public async Task WaitUntil(Func<FakeModelServer, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The fake model server did not reach the expected state within {timeout} ({requests.Count} requests, {InFlight} in flight, {AbortedRequests} aborted).");
            }

            await Task.Delay(20);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(stopping.Token);
            await app.DisposeAsync();
        }
    }

    private async Task StartOn(int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.Services.AddRoutingCore();
        app = builder.Build();
        app.MapPost("/v1/chat/completions", Complete);
        await app.StartAsync();
        Port = port;
    }

    private async Task Complete(HttpContext http)
    {
        Interlocked.Increment(ref inFlight);
        try
        {
            var body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject
                ?? throw new InvalidOperationException("The request body is not a JSON object.");
            var model = (string?)body["model"] ?? string.Empty;
            var messages = body["messages"] as JsonArray ?? [];
            var prompt = LastContent(messages, "user");
            var instructions = LastContent(messages, "system");
            var legacyLimit = (int?)body["max_tokens"];
            var limit = (int?)body["max_completion_tokens"] ?? legacyLimit;
            var request = new FakeModelRequest(
                Interlocked.Increment(ref sequence), model, prompt, instructions, limit, http.Request.Headers.Authorization.ToString(), DateTimeOffset.UtcNow)
            {
                MaxTokensField = legacyLimit,
            };
            requests.Enqueue(request);

            var name = model.Split('#')[0];
            var behaviour = name.Split(':', 2)[0];
            var argument = name.Contains(':', StringComparison.Ordinal) ? name.Split(':', 2)[1] : string.Empty;
            if (!await Wait(FixedLatency, request, http))
            {
                return;
            }

            string? answer;
            switch (behaviour)
            {
                case "echo":
                case "nousage":
                    answer = prompt;
                    break;
                case "upper":
                    answer = prompt.ToUpperInvariant();
                    break;
                case "fixed":
                    answer = argument;
                    break;
                case "empty":
                    answer = string.Empty;
                    break;
                case "long":
                    answer = string.Join(' ', Enumerable.Repeat("lorem", 4000));
                    break;
                case "slow":
                    if (!await Wait(TimeSpan.FromMilliseconds(int.Parse(argument, System.Globalization.CultureInfo.InvariantCulture)), request, http))
                    {
                        return;
                    }

                    answer = prompt;
                    break;
                case "hang":
                    await Wait(TimeSpan.FromMinutes(10), request, http);
                    return;
                case "fail":
                    await Error(http, StatusCodes.Status500InternalServerError, "server_error", "The fake model failed.");
                    return;
                case "leak":
                    await Error(http, StatusCodes.Status500InternalServerError, "server_error", $"Rejected credentials: {http.Request.Headers.Authorization}.");
                    return;
                case "reject":
                    await Error(http, StatusCodes.Status400BadRequest, "invalid_request_error", "The fake model rejects every request.");
                    return;
                case "ratelimit":
                    http.Response.Headers.RetryAfter = argument;
                    await Error(http, StatusCodes.Status429TooManyRequests, "rate_limit_exceeded", "The fake model is rate limited.");
                    return;
                case "huge":
                    // Not cut below: this server ignores the limit.
                    limit = null;
                    answer = new string('z', int.Parse(argument, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case "usage":
                    answer = prompt;
                    break;
                case "flaky":
                    var seen = counters.AddOrUpdate(model, 1, (_, n) => n + 1);
                    if (seen <= int.Parse(argument, System.Globalization.CultureInfo.InvariantCulture))
                    {
                        await Error(http, StatusCodes.Status503ServiceUnavailable, "server_error", $"The fake model is unavailable (request {seen}).");
                        return;
                    }

                    answer = prompt;
                    break;
                default:
                    await Error(http, StatusCodes.Status404NotFound, "not_found_error", $"The model '{model}' does not exist.");
                    return;
            }

            var finish = "stop";
            if (limit is { } max && Encoding.UTF8.GetByteCount(answer) > max * 4L)
            {
                answer = Cut(answer, max * 4);
                finish = "length";
            }

            var response = new JsonObject
            {
                ["id"] = $"chatcmpl-{request.Sequence}",
                ["object"] = "chat.completion",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer },
                    ["finish_reason"] = finish,
                }),
            };
            if (behaviour != "nousage")
            {
                var reported = behaviour == "usage" ? argument.Split(',') : null;
                var promptTokens = reported is null ? messages.Sum(m => Tokens(Content(m))) : long.Parse(reported[0], System.Globalization.CultureInfo.InvariantCulture);
                var completionTokens = reported is null ? Tokens(answer) : long.Parse(reported[1], System.Globalization.CultureInfo.InvariantCulture);
                response["usage"] = new JsonObject
                {
                    ["prompt_tokens"] = promptTokens,
                    ["completion_tokens"] = completionTokens,
                    ["total_tokens"] = promptTokens + completionTokens,
                };
            }

            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(response.ToJsonString(), http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    /// <summary>Waits, or returns false (counting the abort) when the client goes away first.</summary>
    private async Task<bool> Wait(TimeSpan delay, FakeModelRequest request, HttpContext http)
    {
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            await Task.Delay(delay, http.RequestAborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref aborted);
            request.MarkAborted();
            return false;
        }
    }

    private static Task Error(HttpContext http, int status, string type, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        var error = new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type } };
        return http.Response.WriteAsync(error.ToJsonString(), http.RequestAborted);
    }

    private static string LastContent(JsonArray messages, string role) =>
        messages.LastOrDefault(m => (string?)m?["role"] == role) is { } message ? Content(message) : string.Empty;

    /// <summary>A message's text: a string, or the text parts of a content array.</summary>
    private static string Content(JsonNode? message) => message?["content"] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray parts => string.Concat(parts.Select(p => (string?)p?["text"] ?? string.Empty)),
        _ => string.Empty,
    };

    private static int Tokens(string text) => (Encoding.UTF8.GetByteCount(text) + 3) / 4;

    private static string Cut(string text, long bytes)
    {
        var length = 0;
        var used = 0L;
        while (length < text.Length && used + Encoding.UTF8.GetByteCount(text.AsSpan(length, 1)) <= bytes)
        {
            used += Encoding.UTF8.GetByteCount(text.AsSpan(length, 1));
            length++;
        }

        return text[..length];
    }
}

/// <summary>One request the fake model server received.</summary>
/// <param name="Sequence">Its number, from 1, in arrival order.</param>
/// <param name="Model">The model name asked for.</param>
/// <param name="Prompt">The last user message.</param>
/// <param name="Instructions">The last system message, or empty.</param>
/// <param name="MaxTokens">The limit the server applies: <c>max_completion_tokens</c>, else <c>max_tokens</c>; or null.</param>
/// <param name="Authorization">The <c>Authorization</c> header as received, or empty.</param>
/// <param name="ReceivedAt">When it arrived (system clock).</param>
public sealed record FakeModelRequest(int Sequence, string Model, string Prompt, string Instructions, int? MaxTokens, string Authorization, DateTimeOffset ReceivedAt)
{
    private int aborted;

    /// <summary>The <c>max_tokens</c> field as sent (the older name that Ollama and LM Studio read), or null.</summary>
    public int? MaxTokensField { get; init; }

    /// <summary>True when its client went away while the server waited.</summary>
    public bool Aborted => Volatile.Read(ref aborted) == 1;

    internal void MarkAborted() => Volatile.Write(ref aborted, 1);
}
