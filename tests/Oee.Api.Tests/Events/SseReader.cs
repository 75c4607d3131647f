using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Oee.Api.Tests.Events;

/// <summary>One SSE connection: reads items as they come; disposing it drops the connection.</summary>
public sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly IAsyncEnumerator<SseItem<string>> items;
    private readonly CancellationTokenSource deadline;

    private SseReader(HttpResponseMessage response, Stream stream, CancellationTokenSource deadline)
    {
        this.response = response;
        this.deadline = deadline;
        items = SseParser.Create(stream).EnumerateAsync(deadline.Token).GetAsyncEnumerator(deadline.Token);
    }

    /// <summary>Opens the stream (with Last-Event-ID when given); the whole connection may last at most <paramref name="seconds"/>.</summary>
    public static async Task<SseReader> OpenAsync(HttpClient http, string url, string? lastEventId = null, int seconds = 60)
    {
        var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Version = http.DefaultRequestVersion, VersionPolicy = http.DefaultVersionPolicy };
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new SseReader(response, await response.Content.ReadAsStreamAsync(deadline.Token), deadline);
        var ready = await reader.NextAsync();
        Assert.Equal("ready", ready?.Type);
        reader.Ready = ready!.Value.Data;
        return reader;
    }

    /// <summary>The first message's data (<c>event: ready</c>), read by <see cref="OpenAsync"/>.</summary>
    public JsonElement Ready { get; private set; }

    /// <summary>The next item; null when the server ended the stream.</summary>
    public async Task<(string Type, string? Id, JsonElement Data)?> NextAsync()
    {
        if (!await items.MoveNextAsync())
        {
            return null;
        }

        var item = items.Current;
        using var document = JsonDocument.Parse(item.Data);
        return (item.EventType, item.EventId, document.RootElement.Clone());
    }

    /// <summary>Every item until the server ends the stream.</summary>
    public async Task<List<(string Type, string? Id, JsonElement Data)>> ToEndAsync()
    {
        var all = new List<(string, string?, JsonElement)>();
        while (await NextAsync() is { } item)
        {
            all.Add(item);
        }

        return all;
    }

    public async ValueTask DisposeAsync()
    {
        await items.DisposeAsync();
        response.Dispose();
        deadline.Dispose();
    }
}
