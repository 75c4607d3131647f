using System.Text;
using Oee.Benchmarks.Scenarios;

namespace Oee.Benchmarks.Cli;

/// <summary>The --help text.</summary>
internal static class HelpText
{
    public static string Build()
    {
        var text = new StringBuilder();
        text.AppendLine("OEE benchmarks (see docs/BENCHMARKS.md)");
        text.AppendLine();
        text.AppendLine("usage: dotnet run -c Release --project tests/Oee.Benchmarks -- <scenario> [options]");
        text.AppendLine();
        text.AppendLine("scenarios:");
        foreach (var scenario in ScenarioCatalog.All)
        {
            text.AppendLine($"  {scenario.Name,-9} {scenario.Summary}");
        }

        text.AppendLine("""

            options (scenario defaults in brackets):
              --runs N              measured runs per figure; figures are median/min/max      [3]
                                    (drain and compare's memory drain: N rounds in which every target takes a
                                     turn, one run each, after --warmup warm-ups in round 1 and for child
                                     processes, one for targets in this process in later rounds)
              --warmup N            warm-up runs before them; the first is reported as cold   [2]
              --cold-starts N       drain/compare: the cold figure of each mode is the median of N fresh
                                    benchmark processes' first runs instead of this process's first warm-up
                                    [drain 0, compare 3]
              --count N             tasks per run   [drain and compare 30000, durable 5000, scale 4000, backlog 1000000,
                                                     fanout 10000, keyed 20000, telemetry 20000, setting 30000, delayed 10000, schedule 10000 (its drain reference),
                                                     purge 1000000 (done tasks filled, then purged), pipeline 200 (pipelines), events 20000,
                                                     observed 30000, calls 5000]
              --concurrency N       submits in flight (closed loop), HTTP/1.1 connections       [64]
              --batch N             drain/durable: tasks per submit call, a batch submit when > 1 [1; purge's fill 1000]
              --modes a,b           drain/durable/fanout/keyed/delayed/events (setting: one): inproc, client, rest, rest-h2
                                    (rest: HTTP/1.1, a connection per submit in flight; rest-h2: cleartext HTTP/2, one connection)
                                                          [drain all four, others inproc]
              --target t            latency/durable latency/backlog: inproc, client, rest or rest-h2
                                                          [latency inproc, durable inproc, backlog client]
              --rates a,b           latency/purge: open-loop submit rates, tasks/s [latency 100,1000; durable 100; purge 200]
              --seconds S           latency: seconds of submits per run; purge: of the reference (the purge phase lasts the purge); schedule: seconds of firing; delayed: the window the due times spread over [5]
              --schedules N         schedule: schedules firing every second                      [50]
              --slots N[,N...]      scale: Oee:WorkerSlotsPerSilo, silo by silo (the last for the rest) [20]
              --delay-ms N          scale: delay body; modelcall, pipeline: the model server's latency [50]
              --silos a,b           scale: silo counts to compare (ratio last/first)            [1,2]
              --max-concurrency N   maxConcurrency of every benchmark queue                   [10000]
              --queues N            backlog: paused queues sharing the backlog equally, resumed together [1]
              --setting KEY=VALUE   setting: an engine setting its second variant runs with (repeatable), e.g.
                                    --setting Oee:Cluster:CacheTaskAddresses=true (a key the engine does not
                                    read changes nothing: check the spelling against the README's table);
                                    on the in-process silo, or with --modes <one of client, rest, rest-h2> on it
              --env NAME=VALUE      setting: an environment variable of its second variant's processes (silo
                                    processes, the API process; repeatable; needs --modes client, rest or rest-h2),
                                    e.g. DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 (the runtime reads its knobs at start;
                                    that one as hexadecimal: A = 10)
              --no-peers            drain/latency/durable: OEE only, without Hangfire, Quartz and the floors (bare grain, card)
              --peer-workers N      Hangfire workers and Quartz threads   [Hangfire.InMemory 4, Hangfire.PostgreSql 10, Quartz 4]
              --peer-pg-count N     jobs per Hangfire.PostgreSql drain run                      [1000]
              --durable-count N     compare: tasks per durable drain run (--count: memory drains) [5000]
              --no-clear            keep finished tasks between runs (default: removed, untimed)
              --fanout              calls: count the calls of fan-out graphs of 1000 (a root, 999 dependents) instead of single tasks
              --durable             backlog/purge/fanout: against PostgreSQL (scripts/pg.sh or --pg), not memory
              --pg CONNSTRING       durable, backlog/purge/fanout --durable: this PostgreSQL instead of scripts/pg.sh start
              --out FILE            also append the JSON lines to FILE
              --log-dir DIR         child process logs                       [a new temp folder]
              --silo-dll PATH       start this Oee.Silo.dll (e.g. a ReadyToRun publish)  [the build output's]
              --api-dll PATH        start this Oee.Api.dll                               [the build output's]
              -h, --help            this text

            Progress goes to stderr; stdout carries a table, then one JSON line per figure:
              {"scenario","figure","parameters","value"(=median),"unit","runs","median","min","max","samples","at"}
            Child processes (dotnet src/Oee.Silo|Oee.Api/bin/<config>/net10.0/*.dll unless --silo-dll/--api-dll) run on free 127.0.0.1 ports
            and are killed when the benchmark ends, also on Ctrl+C.
            """);
        return text.ToString();
    }
}
