using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Oee.Benchmarks.Floor;

/// <summary>
/// The server of the HTTP floor (<see cref="HttpFloorDrain"/>), run as a child process of the harness
/// (<c>Oee.Benchmarks.dll http-floor-serve URL http1|http2</c>): ASP.NET Core with Kestrel on one endpoint,
/// built as the API's host is (<see cref="WebApplication.CreateBuilder()"/>, console logging at warnings)
/// and with one route, <c>POST /api/tasks</c>, that reads the whole body and answers what the API answers a minimal
/// submit: 201 with a new id in <c>Location</c>, no body. No JSON, no authentication, no engine: what HTTP itself
/// costs a submit on this machine. <c>GET /health</c> answers 200 for the harness's readiness check.
/// </summary>
internal static class HttpFloorServer
{
    public const string Command = "http-floor-serve";

    public static async Task<int> RunAsync(string url, string protocol)
    {
        if (protocol is not ("http1" or "http2"))
        {
            await Console.Error.WriteLineAsync($"{Command}: the protocol must be http1 or http2 (was '{protocol}').");
            return 2;
        }

        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint =>
            endpoint.Protocols = protocol == "http2" ? HttpProtocols.Http2 : HttpProtocols.Http1));
        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok());
        app.MapPost("/api/tasks", async (HttpRequest request) =>
        {
            // The whole body, as the API's JSON binding reads it before it parses.
            while (true)
            {
                var read = await request.BodyReader.ReadAsync();
                request.BodyReader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }

            return Results.Created($"/api/tasks/{Guid.CreateVersion7()}", null);
        });
        await app.RunAsync();
        return 0;
    }
}
