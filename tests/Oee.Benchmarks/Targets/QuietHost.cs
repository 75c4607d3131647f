using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Oee.Benchmarks.Targets;

/// <summary>
/// A host builder for in-process silos and clients: the given settings (and Oee__* environment
/// variables), warnings to stderr,
/// and no reaction of its own to Ctrl+C or SIGTERM.
/// </summary>
internal static class QuietHost
{
    public static HostApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
        });
        Apply(builder, settings);
        return builder;
    }

    /// <summary>The same settings, logging and lifetime on any host builder (a web host's too).</summary>
    public static void Apply(IHostApplicationBuilder builder, IReadOnlyDictionary<string, string> settings)
    {
        // Oee__* environment variables reach in-process silos as they reach the silo and API
        // processes (which read them by default), so one variable compares an engine setting in
        // every mode; the harness's own settings win.
        var fromEnvironment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("Oee__", StringComparison.Ordinal))
            .Select(k => new KeyValuePair<string, string?>(k.Replace("__", ":", StringComparison.Ordinal), Environment.GetEnvironmentVariable(k)));
        builder.Configuration.AddInMemoryCollection(fromEnvironment).AddInMemoryCollection(settings.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)));
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<IHostLifetime, PassiveLifetime>();
    }
}
