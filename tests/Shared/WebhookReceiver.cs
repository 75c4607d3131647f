using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Oee.Tests.Shared;

/// <summary>
/// A webhook receiver on 127.0.0.1 started by the test: records every POST (headers and body) and
/// answers 500 to the first <c>failFirst</c> requests of each webhook id, then 204.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentDictionary<string, int> triesById = new();
    private readonly Task loop;

    public WebhookReceiver(int failFirst)
    {
        FailFirst = failFirst;
        Port = LoopbackPorts.Next();
        listener.Prefixes.Add($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");
        listener.Start();
        loop = Task.Run(Serve);
    }

    public int Port { get; }

    public int FailFirst { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{path}";

    public ConcurrentQueue<Received> Requests { get; } = new();

    private async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (!listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var id = context.Request.Headers["webhook-id"] ?? "";
            var tries = triesById.AddOrUpdate(id, 1, (_, n) => n + 1);
            var status = tries <= FailFirst ? 500 : 204;
            Requests.Enqueue(new Received(
                context.Request.Url!.AbsolutePath,
                id,
                context.Request.Headers["webhook-timestamp"],
                context.Request.Headers["webhook-signature"],
                context.Request.ContentType,
                body.ToArray(),
                status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(10));
    }

    /// <summary>What a receiver does (Standard Webhooks): HMAC-SHA256 of id.timestamp.body with the secret's key, base64, after "v1,".</summary>
    public static bool Verifies(Received request, byte[] key)
    {
        var signed = Encoding.UTF8.GetBytes($"{request.Id}.{request.Timestamp}.").Concat(request.Body).ToArray();
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        return request.Signature?.Split(' ').Any(s => s == "v1," + expected) == true;
    }

    /// <summary>One request as received.</summary>
    public sealed record Received(string Path, string Id, string? Timestamp, string? Signature, string? ContentType, byte[] Body, int AnsweredStatus);
}
