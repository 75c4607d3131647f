using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oee.Grains.Hosting;

namespace Oee.Grains.Tests.Hosting;

/// <summary>The default log levels a process running OEE starts with (README, "Logs").</summary>
public sealed class OeeLogDefaultsTests
{
    [Theory]
    [InlineData("Orleans.Runtime.Silo", LogLevel.Information, true)]
    [InlineData("Orleans.Runtime.MembershipService.MembershipAgent", LogLevel.Information, true)]
    [InlineData("Orleans.Runtime.SiloOptionsLogger", LogLevel.Information, false)]
    [InlineData("Orleans.Runtime.SiloOptionsLogger", LogLevel.Warning, true)]
    [InlineData("Orleans.Runtime.Catalog", LogLevel.Information, false)]
    [InlineData("Polly", LogLevel.Information, false)]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information, false)]
    [InlineData("Oee.Grains.Tasks.TaskGrain", LogLevel.Information, true)]
    public void A_category_logs_at_the_default_level(string category, LogLevel level, bool enabled)
    {
        using var provider = Services(configured: null);

        Assert.Equal(enabled, provider.GetRequiredService<ILoggerFactory>().CreateLogger(category).IsEnabled(level));
    }

    [Fact]
    public void A_configured_level_for_the_same_category_wins_over_the_default()
    {
        using var provider = Services(configured: ("Orleans.Runtime.SiloOptionsLogger", LogLevel.Information));

        Assert.True(provider.GetRequiredService<ILoggerFactory>().CreateLogger("Orleans.Runtime.SiloOptionsLogger").IsEnabled(LogLevel.Information));
    }

    private static ServiceProvider Services((string Category, LogLevel Level)? configured)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Information);
            logging.AddProvider(new EveryLevelProvider());
            if (configured is { } rule)
            {
                logging.AddFilter(rule.Category, rule.Level);
            }
        });
        OeeLogDefaults.Add(services);
        return services.BuildServiceProvider();
    }

    /// <summary>A provider whose loggers take every level, so that only the filter rules decide.</summary>
    private sealed class EveryLevelProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new EveryLevel();

        public void Dispose()
        {
        }

        private sealed class EveryLevel : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
            }
        }
    }
}
