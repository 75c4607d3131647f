using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// Counts the log events of the task grains of the silos it is added to, by event name (the name of
/// the source-generated log method, e.g. "LogDetached"), to show that a scenario took the path a test is about.
/// </summary>
public sealed class TaskGrainEvents : ILoggerProvider
{
    public const string Category = "Oee.Grains.Tasks.TaskGrain";

    private readonly ConcurrentQueue<(string Event, string? TaskId)> events = new();

    public int Count(string eventName) => events.Count(e => e.Event == eventName);

    /// <summary>The tasks the event was logged for, in order.</summary>
    public IReadOnlyList<string> TaskIds(string eventName) => [.. events.Where(e => e.Event == eventName && e.TaskId is not null).Select(e => e.TaskId!)];

    /// <summary>Adds this recorder to a silo's logging, at Information for the task grain whatever the other rules say.</summary>
    public void AddTo(ILoggingBuilder logging) =>
        logging.AddProvider(this).AddFilter<TaskGrainEvents>(Category, LogLevel.Information);

    public ILogger CreateLogger(string categoryName) => categoryName == Category ? new Recorder(events) : NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Recorder(ConcurrentQueue<(string, string?)> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is { } name)
            {
                var taskId = state is IReadOnlyList<KeyValuePair<string, object?>> fields
                    ? fields.FirstOrDefault(f => f.Key == "TaskId").Value as string
                    : null;
                events.Enqueue((name, taskId));
            }
        }
    }
}
