using Oee.Benchmarks.Hosting;
using Oee.Tests.Shared;

namespace Oee.Benchmarks.Targets;

/// <summary>An Oee.Api process with its embedded silo on free ports, reached over HTTP.</summary>
internal static class RestApiTarget
{
    public static async Task<IBenchTarget> StartAsync(RepoPaths paths, TargetSettings settings, string logDir, CancellationToken cancellationToken)
    {
        var dll = RepoPaths.RequireBuilt(paths.ApiDll);
        var layout = ClusterLayout.Create(1);
        var baseUrl = $"http://127.0.0.1:{LoopbackPorts.Next()}";
        var apiSettings = layout.SiloSettings(0, settings.Engine);
        apiSettings["Urls"] = baseUrl;
        apiSettings["Oee:Api:Mode"] = "Embedded";
        var api = ChildProcess.Start("api", dll, ClusterLayout.AsArgs(apiSettings), logDir);
        var http = RestTarget.CreateClient(baseUrl, settings.Connections);
        try
        {
            await Readiness.WaitForHttpOkAsync(api, http, "/health", cancellationToken);
            return new RestTarget($"Oee.Api process (embedded silo) over HTTP, {settings.Connections} connections", http, [api.Id], [api]);
        }
        catch
        {
            http.Dispose();
            await api.DisposeAsync();
            throw;
        }
    }
}
