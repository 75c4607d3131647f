using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Oee.Tests.Shared;

namespace Oee.EndToEnd.Tests;

/// <summary>
/// A real deployment on this machine: a fresh PostgreSQL database, silo processes clustered
/// through it, and the API process as an Orleans client. Everything on 127.0.0.1.
/// </summary>
public sealed class OeeDeployment : IAsyncDisposable
{
    private readonly Dictionary<string, (int SiloPort, int GatewayPort)> ports = [];
    private readonly Dictionary<string, OeeProcess> silos = [];
    private OeeProcess? api;

    private OeeDeployment(TestDatabase database) => Database = database;

    public TestDatabase Database { get; }

    public HttpClient Http { get; private set; } = new();

    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>A deployment on a fresh database of the project's test server, or of the server given.</summary>
    public static async Task<OeeDeployment> Create(string? serverConnectionString = null)
    {
        var database = new TestDatabase(serverConnectionString);
        await database.CreateAsync();
        var deployment = new OeeDeployment(database);
        deployment.Environment["Oee__PostgreSql__ConnectionString"] = database.ConnectionString;
        deployment.Environment["Oee__Cluster__ClusterId"] = $"e2e-{Guid.NewGuid():N}";
        deployment.Environment["Oee__LeaseCheckInterval"] = "00:00:02";
        deployment.Environment["Oee__DrainTimeout"] = "00:00:05";

        // Each part of a silo's start and stop, so that a stop that hangs says where (OeeProcess.UnfinishedStops).
        deployment.Environment["Logging__LogLevel__Orleans.Runtime.SiloLifecycleSubject"] = "Debug";
        return deployment;
    }

    public OeeProcess StartSilo(string name, params string[] arguments)
    {
        if (!ports.TryGetValue(name, out var assigned))
        {
            assigned = (LoopbackPorts.Next(), LoopbackPorts.Next());
            ports[name] = assigned;
        }

        var silo = OeeProcess.Silo(name, assigned.SiloPort, assigned.GatewayPort, Environment, arguments);
        silos[name] = silo;
        return silo;
    }

    /// <summary>A silo started by <see cref="StartSilo"/>.</summary>
    public OeeProcess Silo(string name) => silos[name];

    public async Task StartApi(int expectedSilos)
    {
        var port = LoopbackPorts.Next();
        await WaitForSilosInDatabase(expectedSilos);
        var started = OeeProcess.Api(port, Environment);
        api = started;
        Http.Dispose();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        await WaitFor(
            async () => started.HasExited
                ? throw new InvalidOperationException($"The API process exited while starting; its log ends:\n{started.LogTail(15)}")
                : (await SiloNames()).Count == expectedSilos,
            TimeSpan.FromSeconds(180),
            "the API to see the silos");
    }

    public async Task StopApi()
    {
        if (api is not null)
        {
            await api.DisposeAsync();
            api = null;
        }
    }

    /// <summary>SIGTERM to every silo, each draining its running bodies.</summary>
    public async Task StopAllSilos()
    {
        var stops = silos.Values.Select(s => s.Terminate(OeeProcess.StopLimit)).ToList();
        await Task.WhenAll(stops).ContinueWith(static _ => { }, TaskScheduler.Default);
        var failed = stops.Where(s => s.IsFaulted).SelectMany(s => s.Exception!.InnerExceptions).ToList();
        if (failed.Count > 0)
        {
            // Every silo's, not only the first's: which of them hung, and where, tells the cause apart.
            throw new TimeoutException(string.Join("\n", failed.Select(f => f.Message)), failed[0]);
        }

        foreach (var silo in silos.Values)
        {
            await silo.DisposeAsync();
        }

        silos.Clear();
    }

    public async Task<List<string>> SiloNames()
    {
        try
        {
            var system = await Http.GetFromJsonAsync<JsonElement>("/api/system");
            return [.. system.GetProperty("silos").EnumerateArray().Select(s => s.GetProperty("name").GetString()!)];
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return [];
        }
    }

    public async Task<JsonElement> Post(string path, string json)
    {
        var response = await Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(body).RootElement.Clone()
            : throw new HttpRequestException($"{(int)response.StatusCode} from POST {path}: {body}");
    }

    public async Task<JsonElement> Put(string path, string json)
    {
        var response = await Http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>
    /// GET with the retry a 503 asks for: the service answers 503 + Retry-After while the cluster
    /// settles (a silo restarted on the address of a dead one, whose directory share moves) or the
    /// database is away; any other failure throws at once.
    /// </summary>
    public async Task<JsonElement> Get(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await Http.GetAsync(path);
            if (response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                response.EnsureSuccessStatusCode();
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta is { } wait && wait < TimeSpan.FromSeconds(5) ? wait : TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>
    /// Polls until the condition holds; an HTTP error or an HTTP timeout while polling (a silo is down, the
    /// cluster settles) just means "not yet".
    /// </summary>
    public static async Task WaitFor(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
    }

    /// <summary>What the database says about a queue's unfinished work, for failure messages.</summary>
    public async Task<string> Diagnose(string queue)
    {
        try
        {
            await using var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                "SELECT 'index ' || status || '/attempt ' || attempt || ': ' || count(*) FROM oee_task GROUP BY status, attempt " +
                "UNION ALL SELECT 'queue entries: ' || count(*) FROM oee_queue_entry WHERE queue = $1 " +
                "UNION ALL (SELECT 'unfinished: ' || id || ' status ' || status || ' attempt ' || attempt || ' silo ' || coalesce(silo, '-') FROM oee_task WHERE status < 3 LIMIT 10)",
                connection);
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = queue });
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }

            return string.Join('\n', lines);
        }
        catch (Exception ex)
        {
            return "diagnosis failed: " + ex.Message;
        }
    }

    /// <summary>
    /// A test failure with its context (logs, database diagnosis): the exception's message first and the whole
    /// exception again last, so that an output cut to its head or to its tail still says what failed.
    /// </summary>
    public static Xunit.Sdk.XunitException Failure(Exception ex, params string[] context) =>
        new($"{ex.GetType().Name}: {ex.Message}\n\n{string.Join("\n\n", context)}\n\n{ex}");

    public string Logs() => string.Join("\n\n", silos.Values.Append(api).OfType<OeeProcess>().Select(p => $"--- {p.Name} ({p.LogPath})\n{p.LogTail()}"));

    public async ValueTask DisposeAsync()
    {
        await StopApi();
        foreach (var silo in silos.Values)
        {
            await silo.DisposeAsync();
        }

        Http.Dispose();
        await Database.DisposeAsync();
    }

    private async Task WaitForSilosInDatabase(int expected)
    {
        await WaitFor(
            async () =>
            {
                if (silos.Values.FirstOrDefault(s => s.HasExited) is { } exited)
                {
                    throw new InvalidOperationException($"Silo process {exited.Name} exited while starting; its log ends:\n{exited.LogTail(15)}");
                }

                await using var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString);
                await connection.OpenAsync();
                await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = $1 AND status = 3", connection);
                command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Environment["Oee__Cluster__ClusterId"] });
                try
                {
                    return (long)(await command.ExecuteScalarAsync())! >= expected;
                }
                catch (Npgsql.PostgresException ex) when (ex.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
                {
                    return false; // the first silo is still migrating the schema
                }
            },
            TimeSpan.FromSeconds(180),
            $"{expected} active silo(s) in the membership table");
    }
}
