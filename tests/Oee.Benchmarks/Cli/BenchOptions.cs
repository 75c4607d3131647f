namespace Oee.Benchmarks.Cli;

/// <summary>The parsed command line. Null members mean "the scenario's default".</summary>
internal sealed record BenchOptions
{
    /// <summary>The scenario to run (drain, latency, durable, compare, scale, backlog, fanout, keyed, schedule, delayed, purge).</summary>
    public string Scenario { get; init; } = "";

    /// <summary>True when --help was asked for (or no scenario given).</summary>
    public bool Help { get; init; }

    /// <summary>Measured runs per figure; the figures are their median, min and max. Default 3.</summary>
    public int Runs { get; init; } = 3;

    /// <summary>
    /// Unmeasured warm-up runs before them; the first is reported as the cold figure. Default 2: on
    /// 2 busy cores tiered JIT needs more than one 30,000-task drain to settle.
    /// </summary>
    public int Warmups { get; init; } = 2;

    /// <summary>
    /// drain, compare: the cold figure of each OEE mode is the median of this many fresh benchmark
    /// processes' first runs (each starts its own target and drains once), instead of this process's
    /// first warm-up. Null: the scenario's default (drain 0, compare 3).
    /// </summary>
    public int? ColdStarts { get; init; }

    /// <summary>Tasks per run (drain, scale, backlog).</summary>
    public int? Count { get; init; }

    /// <summary>Submits in flight at once in closed-loop scenarios. Default 64.</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>Tasks per submit call in drain and durable drain (a batch submit when above 1). Default 1.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>How the benchmark reaches the engine, for drain and durable: inproc, client, rest.</summary>
    public IReadOnlyList<TargetKind>? Modes { get; init; }

    /// <summary>The one target for latency and backlog.</summary>
    public TargetKind? Target { get; init; }

    /// <summary>Open-loop submit rates (tasks/s) for latency and purge.</summary>
    public IReadOnlyList<int>? Rates { get; init; }

    /// <summary>Seconds of open-loop submits per latency run. Default 5.</summary>
    public double Seconds { get; init; } = 5;

    /// <summary>Schedules firing every second in the schedule scenario. Default 50.</summary>
    public int Schedules { get; init; } = 50;

    /// <summary>
    /// Worker slots per silo in the scale scenario (Oee:WorkerSlotsPerSilo), silo by silo: the i-th silo takes the i-th
    /// count, silos past the list the last one (<c>--slots 10,30</c>: silos of different sizes). Default 20 each.
    /// </summary>
    public IReadOnlyList<int> Slots { get; init; } = [20];

    /// <summary>The worker slots of silo <paramref name="index"/> (0-based) by <see cref="Slots"/>.</summary>
    public int SlotsOf(int index) => Slots[Math.Min(index, Slots.Count - 1)];

    /// <summary>The delay body's duration in the scale scenario, and the fake model server's latency in the pipeline scenario, ms. Default 50.</summary>
    public int DelayMs { get; init; } = 50;

    /// <summary>Silo counts compared by the scale scenario. Default 1 and 2.</summary>
    public IReadOnlyList<int> SiloCounts { get; init; } = [1, 2];

    /// <summary>maxConcurrency given to every benchmark queue, so that worker slots are the limit. Default 10000.</summary>
    public int MaxConcurrency { get; init; } = 10_000;

    /// <summary>backlog: the paused queues the backlog is spread over (in equal shares) and resumed together. Default 1.</summary>
    public int Queues { get; init; } = 1;

    /// <summary>backlog, purge: run it against PostgreSQL (scripts/pg.sh or --pg) instead of memory storage.</summary>
    public bool Durable { get; init; }

    /// <summary>drain, latency, durable: measure OEE only, without the peers and the floors (quick runs).</summary>
    public bool NoPeers { get; init; }

    /// <summary>Workers of the Hangfire peers and threads of the Quartz peer; null: each peer's own setting (Peers/PeerSettings).</summary>
    public int? PeerWorkers { get; init; }

    /// <summary>Jobs per Hangfire.PostgreSql drain run (it drains ~10–50× slower than OEE on PostgreSQL). Default 1000.</summary>
    public int? PeerPgCount { get; init; }

    /// <summary>compare: tasks per durable drain run (--count sets the memory drains). Default 5000.</summary>
    public int? DurableCount { get; init; }

    /// <summary>setting: the engine settings (configuration key, value) its second variant runs with; the first runs with none.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; init; } = [];

    /// <summary>setting: environment variables its second variant's processes run with (client and REST modes).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>Skip removing finished tasks between runs.</summary>
    public bool NoClear { get; init; }

    /// <summary>calls: submit fan-out graphs (a root and its dependents, as the fanout scenario) instead of single tasks.</summary>
    public bool FanOut { get; init; }

    /// <summary>A PostgreSQL connection string for durable; null starts one with scripts/pg.sh.</summary>
    public string? Postgres { get; init; }

    /// <summary>A file to append the JSON lines to (they are printed too).</summary>
    public string? OutFile { get; init; }

    /// <summary>An Oee.Silo.dll to start instead of the build output's (e.g. a ReadyToRun publish).</summary>
    public string? SiloDll { get; init; }

    /// <summary>An Oee.Api.dll to start instead of the build output's.</summary>
    public string? ApiDll { get; init; }

    /// <summary>Where child processes' output goes. Default a new folder under the temp directory.</summary>
    public string? LogDir { get; init; }
}
