using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Oee.Api.Security;
using Oee.Tests.Shared;

namespace Oee.Api.Tests.Security;

/// <summary>
/// A durable API whose configuration holds every kind of secret (the database password, a model's API
/// key, the webhook secret, API keys), run through a workload that touches each of them, also on their
/// failure paths (a refused key, a failing model call, a webhook to nowhere): none of the secrets appears
/// in any log line (every category at Debug, exceptions included), in a task record, in /api/system,
/// /api/models or /metrics.
/// </summary>
public sealed class SecretsStayHiddenTests : IAsyncLifetime
{
    private const string DatabasePassword = "pg-Secret-7f3a9c1e";
    private const string ModelApiKey = "sk-Secret-model-5b2d8e4f";
    private const string WebhookSecret = "whsec-Secret-webhook-9c4e1a7b";

    private readonly TestDatabase database = new();
    private readonly string role = $"oee_secret_{Guid.NewGuid():N}"[..30];
    private readonly ConcurrentQueue<string> logs = new();
    private FakeModelServer models = null!;
    private SecretsApi api = null!;

    public async Task InitializeAsync()
    {
        await database.CreateAsync();
        // As the server's superuser (the test server trusts local connections): the test role may not create roles.
        await using (var connection = new NpgsqlConnection(AsSuperuser(database.ConnectionString, database.Name)))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE ROLE {role} LOGIN PASSWORD '{DatabasePassword}'; ALTER DATABASE \"{database.Name}\" OWNER TO {role}; GRANT ALL ON SCHEMA public TO {role}; ALTER SCHEMA public OWNER TO {role};", connection);
            await create.ExecuteNonQueryAsync();
        }

        models = await FakeModelServer.StartAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = DatabasePassword }.ConnectionString;
        api = new SecretsApi(connectionString, models.Endpoint, logs);
        api.Start();
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await models.DisposeAsync();
        await using (var connection = new NpgsqlConnection(AsSuperuser(database.ConnectionString, "postgres")))
        {
            // Back to the test role, which drops its databases; then the secret role can go.
            await connection.OpenAsync();
            var owner = new NpgsqlConnectionStringBuilder(database.ConnectionString).Username;
            await using var back = new NpgsqlCommand($"ALTER DATABASE \"{database.Name}\" OWNER TO {owner}", connection);
            await back.ExecuteNonQueryAsync();
        }

        await database.DisposeAsync();
        await using var cleanup = new NpgsqlConnection(AsSuperuser(database.ConnectionString, "postgres"));
        await cleanup.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS {role}", cleanup);
        await drop.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task No_secret_appears_in_logs_records_or_status_after_a_workload_that_uses_each()
    {
        using var admin = api.Client(api.AdminKey);
        using var stranger = api.Client(ApiKeyHash.NewKey("admin1")); // a known key id with a wrong secret

        var ids = new List<string>();
        foreach (var body in new object[]
        {
            new { name = "plain", handler = "echo", input = new { a = 1 } },
            new { name = "model ok", handler = "model", input = new { model = "secret-echo", prompt = "hello" } },
            new { name = "model fails", handler = "model", input = new { model = "secret-fail", prompt = "hello" } },
            new { name = "webhook to nowhere", handler = "echo", callbackUrl = $"http://127.0.0.1:{LoopbackPorts.Next()}/hook" },
        })
        {
            var response = await admin.PostAsJsonAsync("/api/tasks", body);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/system")).StatusCode);
        var texts = new List<string>();
        foreach (var id in ids)
        {
            texts.Add((await WaitUntilFinal(admin, id)).GetRawText());
        }

        // The webhook's delivery has failed for good once it is recorded on the task.
        texts.Add((await WaitUntil(admin, ids[^1], t => t.TryGetProperty("webhookDeliveries", out var d) && d.GetArrayLength() > 0)).GetRawText());
        texts.Add(await admin.GetStringAsync("/api/system"));
        texts.Add(await admin.GetStringAsync("/api/models"));
        texts.Add(await admin.GetStringAsync("/api/tasks?limit=500"));
        var metrics = await admin.GetAsync("/metrics");
        if (metrics.StatusCode != HttpStatusCode.NotFound)
        {
            texts.Add(await metrics.Content.ReadAsStringAsync());
        }

        Assert.NotEmpty(logs);
        // The key's secret is everything after "oee_{keyId}_" (base64url, so it may itself hold '_').
        var keySecret = api.AdminKey[(api.AdminKey.IndexOf('_', ApiKeyHash.Prefix.Length) + 1)..];
        foreach (var secret in new[] { DatabasePassword, ModelApiKey, WebhookSecret, api.AdminKey, keySecret })
        {
            var inLogs = logs.Where(l => l.Contains(secret, StringComparison.Ordinal)).ToList();
            Assert.True(inLogs.Count == 0, $"a secret is in {inLogs.Count} log lines, e.g.: {inLogs.FirstOrDefault()}");
            Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.Ordinal));
        }

        // The model call really carried its key (so the check above is about hiding it, not missing it).
        Assert.Contains(models.RequestsFor("echo"), r => r.Authorization == $"Bearer {ModelApiKey}");
    }

    private static string AsSuperuser(string connectionString, string databaseName) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = "postgres", Password = null, Database = databaseName, Pooling = false }.ConnectionString;

    private static Task<JsonElement> WaitUntilFinal(HttpClient client, string id) =>
        WaitUntil(client, id, t => t.GetProperty("status").GetString() is "done" or "error" or "cancelled");

    private static async Task<JsonElement> WaitUntil(HttpClient client, string id, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await client.GetFromJsonAsync<JsonElement>($"/api/tasks/{id}");
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"task {id} did not get there: {last}");
    }

    private sealed class SecretsApi(string connectionString, string modelEndpoint, ConcurrentQueue<string> logs) : WebApplicationFactory<Program>
    {
        public string AdminKey { get; } = ApiKeyHash.NewKey("admin1");

        public void Start()
        {
            UseKestrel(0);
            StartServer();
        }

        public HttpClient Client(string key)
        {
            var client = CreateClient();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            return client;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseOwnLoopbackSilo("secrets");
            builder.UseSetting("Oee:PostgreSql:ConnectionString", connectionString);
            builder.UseSetting("Oee:Api:Security:Keys:admin1:Hash", ApiKeyHash.Hash(AdminKey));
            builder.UseSetting("Oee:Api:Security:Keys:admin1:Role", OeeRoles.Admin);
            foreach (var (id, behaviour) in new[] { ("secret-echo", "echo"), ("secret-fail", "fail") })
            {
                builder.UseSetting($"Oee:Models:{id}:Kind", "openai");
                builder.UseSetting($"Oee:Models:{id}:Capabilities:0", "test");
                builder.UseSetting($"Oee:Models:{id}:Endpoint", modelEndpoint);
                builder.UseSetting($"Oee:Models:{id}:Model", behaviour);
                builder.UseSetting($"Oee:Models:{id}:ApiKey", ModelApiKey);
                builder.UseSetting($"Oee:Models:{id}:MaxRetries", "1");
                builder.UseSetting($"Oee:Models:{id}:RetryDelay", "00:00:00.01");
            }

            builder.UseSetting("Oee:Webhooks:AllowedHosts:0", "127.0.0.1");
            builder.UseSetting("Oee:Webhooks:AllowPrivateAddresses", "true");
            builder.UseSetting("Oee:Webhooks:Secret", WebhookSecret);
            builder.ConfigureServices(services => services.AddLogging(logging =>
            {
                logging.SetMinimumLevel(LogLevel.Debug);
                logging.AddFilter(_ => true);
                logging.AddProvider(new CapturingLoggerProvider(logs));
            }));
        }
    }

    /// <summary>Every log line, with its exception, as text.</summary>
    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
