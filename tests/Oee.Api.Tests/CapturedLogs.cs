using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Oee.Api.Tests;

/// <summary>The log lines of a test host's categories that start with a prefix, at every level (Debug included).</summary>
public sealed class CapturedLogs(string categoryPrefix) : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Lines => [.. lines];

    /// <summary>Adds this provider to the host's logging, with Debug let through for the captured categories.</summary>
    public void AddTo(IServiceCollection services) => services.AddLogging(logging =>
    {
        logging.AddFilter(categoryPrefix, LogLevel.Debug);
        logging.AddProvider(this);
    });

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, categoryName.StartsWith(categoryPrefix, StringComparison.Ordinal) ? lines : null);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(LogLevel, string, string)>? lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => lines is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines?.Enqueue((logLevel, category, formatter(state, exception)));
    }
}
