using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Oee.Grains.Hosting;

/// <summary>
/// Default log levels for a process running OEE, so that under load it prints start-up, membership
/// changes, warnings, errors and OEE's own lifecycle events, and nothing per task: Orleans' chatty
/// categories and Polly (its pipelines' per-attempt lines: two Information lines per grain placement under Orleans' own
/// placement pipeline) at Warning, Orleans' membership
/// and silo lifecycle at Information, ASP.NET Core's per-request lines at Warning (the REST API).
/// They come first among the filter rules, so any <c>Logging:LogLevel</c> setting for the same category (appsettings, environment, command line) wins.
/// </summary>
internal static class OeeLogDefaults
{
    private static readonly (string Category, LogLevel Level)[] Defaults =
    [
        ("Polly", LogLevel.Warning),
        ("Orleans", LogLevel.Warning),
        ("Orleans.Runtime.MembershipService", LogLevel.Information),
        ("Orleans.Runtime.Silo", LogLevel.Information),

        // Its name begins with the rule above's: without this it printed every Orleans options class at each start (~400 lines).
        ("Orleans.Runtime.SiloOptionsLogger", LogLevel.Warning),
        ("Microsoft.AspNetCore", LogLevel.Warning),
    ];

    public static void Add(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(Marker)))
        {
            return;
        }

        services.AddSingleton<Marker>();
        services.Configure<LoggerFilterOptions>(options =>
        {
            for (var i = 0; i < Defaults.Length; i++)
            {
                var (category, level) = Defaults[i];
                options.Rules.Insert(i, new LoggerFilterRule(providerName: null, categoryName: category, logLevel: level, filter: null));
            }
        });
    }

    private sealed class Marker;
}
