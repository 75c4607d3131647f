using Oee.Benchmarks.Hosting;
using Oee.Tests.Shared;

namespace Oee.Benchmarks.Targets;

/// <summary>An Oee.Api process with its embedded silo on free ports, reached over HTTP/1.1 or HTTP/2.</summary>
internal static class RestApiTarget
{
    /// <summary>
    /// Starts the API; with <paramref name="http2"/> its endpoint speaks HTTP/2 only (Kestrel's
    /// <c>Protocols</c> setting for all endpoints; the README sets it on a named one), and the client
    /// multiplexes its requests over one connection (another per 100 streams in flight, Kestrel's limit).
    /// </summary>
    public static async Task<IBenchTarget> StartAsync(RepoPaths paths, TargetSettings settings, string logDir, bool http2, CancellationToken cancellationToken)
    {
        var dll = RepoPaths.RequireBuilt(paths.ApiDll);
        var layout = ClusterLayout.Create(1);
        var baseUrl = $"http://127.0.0.1:{LoopbackPorts.Next()}";
        var apiSettings = layout.SiloSettings(0, settings.Engine);
        apiSettings["Urls"] = baseUrl;
        apiSettings["Oee:Api:Mode"] = "Embedded";
        if (http2)
        {
            apiSettings["Kestrel:EndpointDefaults:Protocols"] = "Http2";
        }

        var api = ChildProcess.Start("api", dll, ClusterLayout.AsArgs(apiSettings), logDir, settings.Environment);
        var http = RestTarget.CreateClient(baseUrl, settings.Connections, http2);
        try
        {
            await Readiness.WaitForHttpOkAsync(api, http, "/health", cancellationToken);
            var description = http2
                ? $"Oee.Api process (embedded silo) over HTTP/2 (cleartext), {settings.Connections} streams in flight on one connection per 100"
                : $"Oee.Api process (embedded silo) over HTTP/1.1, {settings.Connections} connections";
            return new RestTarget(description, http, [api.Id], [api]);
        }
        catch
        {
            http.Dispose();
            await api.DisposeAsync();
            throw;
        }
    }
}
