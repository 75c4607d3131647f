using System.Globalization;

namespace Oee.Benchmarks.Cli;

/// <summary>Turns the command line into <see cref="BenchOptions"/>; every problem is reported at once.</summary>
internal static class OptionParser
{
    /// <summary>Parses <paramref name="args"/>; returns null and fills <paramref name="errors"/> when they are invalid.</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> args, out List<string> errors)
    {
        errors = [];
        var options = new BenchOptions();
        var queue = new Queue<string>(SplitEquals(args));
        while (queue.TryDequeue(out var arg))
        {
            if (arg is "-h" or "--help" or "help")
            {
                options = options with { Help = true };
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (options.Scenario.Length > 0)
                {
                    errors.Add($"Only one scenario per run; got '{options.Scenario}' and '{arg}'.");
                }

                options = options with { Scenario = arg.ToLowerInvariant() };
                continue;
            }

            if (arg == "--no-clear")
            {
                options = options with { NoClear = true };
                continue;
            }

            if (arg == "--fanout")
            {
                options = options with { FanOut = true };
                continue;
            }

            if (arg == "--no-peers")
            {
                options = options with { NoPeers = true };
                continue;
            }

            if (arg == "--durable")
            {
                options = options with { Durable = true };
                continue;
            }

            if (!queue.TryDequeue(out var value))
            {
                errors.Add($"{arg} needs a value.");
                break;
            }

            options = Apply(options, arg, value, errors);
        }

        if (options.Scenario.Length == 0)
        {
            options = options with { Help = true };
        }
        else if (options.Scenario != "setting" && (options.Settings.Count > 0 || options.Environment.Count > 0))
        {
            errors.Add($"--setting and --env belong to the setting scenario; {options.Scenario} runs with the defaults (an engine setting of every silo: Oee__… in the environment).");
        }
        else if (options.Scenario == "setting")
        {
            errors.AddRange(SettingErrors(options));
        }

        if (options.Queues != 1 && options.Scenario != "backlog")
        {
            errors.Add($"--queues belongs to the backlog scenario; {options.Scenario} runs in one queue.");
        }

        if (options.FanOut && options.Scenario != "calls")
        {
            errors.Add($"--fanout belongs to the calls scenario (the fanout scenario times graphs; {options.Scenario} submits single tasks).");
        }

        return errors.Count == 0 ? options : null;
    }

    /// <summary>What the setting scenario cannot run with: it compares one target with and without the given settings.</summary>
    private static IEnumerable<string> SettingErrors(BenchOptions options)
    {
        if (options.Settings.Count == 0 && options.Environment.Count == 0)
        {
            yield return "setting needs at least one --setting key=value (or, with --modes client, rest or rest-h2, --env name=value) to compare with the defaults, e.g. --setting Oee:Cluster:CacheTaskAddresses=true.";
        }

        if (options.Target is not null)
        {
            yield return "setting runs its target from --modes (one of inproc, client, rest, rest-h2), not --target.";
        }

        if (options.Modes is { Count: > 1 })
        {
            yield return $"setting runs one target; --modes names {options.Modes.Count}.";
        }

        if (options.Environment.Count > 0 && (options.Modes is null or [TargetKind.InProc]))
        {
            yield return "--env sets the environment of a target's own processes; the in-process silo runs in the benchmark's process: add --modes client, rest or rest-h2.";
        }
    }

    private static BenchOptions Apply(BenchOptions o, string name, string value, List<string> errors) => name switch
    {
        "--runs" => o with { Runs = Int(name, value, 1, 1000, errors) },
        "--warmup" => o with { Warmups = Int(name, value, 0, 100, errors) },
        "--cold-starts" => o with { ColdStarts = Int(name, value, 0, 20, errors) },
        "--count" => o with { Count = Int(name, value, 1, 100_000_000, errors) },
        "--concurrency" => o with { Concurrency = Int(name, value, 1, 10_000, errors) },
        "--batch" => o with { Batch = Int(name, value, 1, 1000, errors) },
        "--modes" => o with { Modes = [.. List(value).Select(v => Target(name, v, errors))] },
        "--target" => o with { Target = Target(name, value, errors) },
        "--rates" => o with { Rates = [.. List(value).Select(v => Int(name, v, 1, 1_000_000, errors))] },
        "--seconds" => o with { Seconds = Double(name, value, 0.1, 3600, errors) },
        "--schedules" => o with { Schedules = Int(name, value, 1, 10_000, errors) },
        "--slots" => o with { Slots = [.. List(value).Select(v => Int(name, v, 1, 100_000, errors))] },
        "--delay-ms" => o with { DelayMs = Int(name, value, 0, 60_000, errors) },
        "--silos" => o with { SiloCounts = [.. List(value).Select(v => Int(name, v, 1, 16, errors))] },
        "--queues" => o with { Queues = Int(name, value, 1, 1000, errors) },
        "--max-concurrency" => o with { MaxConcurrency = Int(name, value, 1, 10_000_000, errors) },
        "--peer-workers" => o with { PeerWorkers = Int(name, value, 1, 1000, errors) },
        "--peer-pg-count" => o with { PeerPgCount = Int(name, value, 1, 10_000_000, errors) },
        "--durable-count" => o with { DurableCount = Int(name, value, 1, 100_000_000, errors) },
        "--setting" => AddSetting(o, name, value, errors),
        "--env" => AddEnvironment(o, name, value, errors),
        "--pg" => o with { Postgres = value },
        "--out" => o with { OutFile = value },
        "--log-dir" => o with { LogDir = value },
        "--silo-dll" => o with { SiloDll = value },
        "--api-dll" => o with { ApiDll = value },
        _ => Unknown(o, name, errors),
    };

    private static BenchOptions Unknown(BenchOptions o, string name, List<string> errors)
    {
        errors.Add($"Unknown option {name}; see --help.");
        return o;
    }

    private static IEnumerable<string> SplitEquals(IEnumerable<string> args)
    {
        foreach (var arg in args)
        {
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 2)
            {
                yield return arg[..equals];
                yield return arg[(equals + 1)..];
            }
            else
            {
                yield return arg;
            }
        }
    }

    private static BenchOptions AddSetting(BenchOptions o, string name, string value, List<string> errors)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        var key = equals > 0 ? value[..equals].Trim() : "";
        if (key.Length == 0)
        {
            errors.Add($"{name} must be a configuration key, '=' and a value, e.g. Oee:QueueLeaveLinger=00:00:00.002 (was '{value}').");
            return o;
        }

        if (o.Settings.Any(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"{name} {key} is given twice; give each setting once.");
            return o;
        }

        return o with { Settings = [.. o.Settings, new(key, value[(equals + 1)..].Trim())] };
    }

    private static BenchOptions AddEnvironment(BenchOptions o, string name, string value, List<string> errors)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        var variable = equals > 0 ? value[..equals].Trim() : "";
        if (variable.Length == 0 || !variable.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(variable[0]))
        {
            errors.Add($"{name} must be an environment variable's name (letters, digits, '_'), '=' and a value, e.g. DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 (was '{value}').");
            return o;
        }

        if (o.Environment.Any(e => e.Key == variable))
        {
            errors.Add($"{name} {variable} is given twice; give each variable once.");
            return o;
        }

        return o with { Environment = [.. o.Environment, new(variable, value[(equals + 1)..])] };
    }

    private static string[] List(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int Int(string name, string value, int min, int max, List<string> errors)
    {
        var text = value.Replace("_", "", StringComparison.Ordinal);
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        errors.Add($"{name} must be a whole number from {min} to {max} (was '{value}').");
        return min;
    }

    private static double Double(string name, string value, double min, double max, List<string> errors)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        errors.Add($"{name} must be a number from {min} to {max} (was '{value}').");
        return min;
    }

    private static TargetKind Target(string name, string value, List<string> errors)
    {
        switch (value.ToLowerInvariant())
        {
            case "inproc" or "in-process":
                return TargetKind.InProc;
            case "client":
                return TargetKind.Client;
            case "rest" or "http":
                return TargetKind.Rest;
            case "rest-h2" or "h2":
                return TargetKind.RestHttp2;
            default:
                errors.Add($"{name}: '{value}' is not one of inproc, client, rest, rest-h2.");
                return TargetKind.InProc;
        }
    }
}
