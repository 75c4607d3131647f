using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oee.Grains.Models;
using Oee.Grains.Time;

namespace Oee.Grains.Tests.Models;

/// <summary>The model services of a silo (catalog, caller, handlers) in a plain service provider, with every log line captured.</summary>
internal sealed class ModelServices : IAsyncDisposable
{
    private ModelServices(ServiceProvider provider, CapturedLogs logs)
    {
        Provider = provider;
        Logs = logs;
    }

    public ServiceProvider Provider { get; }

    public CapturedLogs Logs { get; }

    public IModelCaller Caller => Provider.GetRequiredService<IModelCaller>();

    public IModelCatalog Catalog => Provider.GetRequiredService<IModelCatalog>();

    public static ModelServices Create(IDictionary<string, string?> settings, Action<IServiceCollection>? configure = null, TimeProvider? clock = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        var logs = new CapturedLogs();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        if (clock is not null)
        {
            services.AddKeyedSingleton(OeeClock.ServiceKey, clock);
        }

        configure?.Invoke(services);
        services.AddOeeModels(configuration);
        return new ModelServices(services.BuildServiceProvider(validateScopes: true), logs);
    }

    /// <summary>Settings of one openai model at the fake server.</summary>
    public static Dictionary<string, string?> OpenAi(string id, string endpoint, string serverModel, int maxRetries = 0, string timeout = "00:00:30", string? apiKey = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"Oee:Models:{id}:Kind"] = "openai",
            [$"Oee:Models:{id}:Endpoint"] = endpoint,
            [$"Oee:Models:{id}:Model"] = serverModel,
            [$"Oee:Models:{id}:Capabilities:0"] = "summarize",
            [$"Oee:Models:{id}:MaxRetries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"Oee:Models:{id}:RetryDelay"] = "00:00:00.010",
            [$"Oee:Models:{id}:Timeout"] = timeout,
            [$"Oee:Models:{id}:MaxOutputTokens"] = "100",
        };
        if (apiKey is not null)
        {
            settings[$"Oee:Models:{id}:ApiKey"] = apiKey;
        }

        return settings;
    }

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}

/// <summary>Every log line (message and exception) written through the provider.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public string All => string.Join('\n', lines);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The structured values too: a secret must not hide in a logged property.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
