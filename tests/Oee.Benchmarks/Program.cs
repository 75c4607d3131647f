using System.Runtime.InteropServices;
using Oee.Benchmarks.Cli;
using Oee.Benchmarks.Hosting;
using Oee.Benchmarks.Measurement;
using Oee.Benchmarks.Scenarios;

// OEE's benchmark harness: dotnet run -c Release --project tests/Oee.Benchmarks -- <scenario> [options]
if (args is [Oee.Benchmarks.Floor.HttpFloorServer.Command, var floorUrl, var floorProtocol])
{
    // A child process of the HTTP floor (Floor/HttpFloorDrain), not a scenario.
    return await Oee.Benchmarks.Floor.HttpFloorServer.RunAsync(floorUrl, floorProtocol);
}

ChildProcessRegistry.InstallExitHooks();
var options = OptionParser.Parse(args, out var errors);
if (options is null)
{
    errors.ForEach(Console.Error.WriteLine);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(HelpText.Build());
    return 0;
}

var scenario = ScenarioCatalog.Find(options.Scenario);
if (scenario is null)
{
    Console.Error.WriteLine($"Unknown scenario '{options.Scenario}'; one of: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}.");
    return 2;
}

using var stop = new CancellationTokenSource();

// Ctrl+C or SIGTERM: cancel the run, which stops hosts and kills child processes on the way out.
// A second one ends the process at once (the exit hooks still kill the children).
void OnSignal(PosixSignalContext signal)
{
    if (stop.IsCancellationRequested)
    {
        ChildProcessRegistry.KillAll();
        return;
    }

    signal.Cancel = true;
    Console.Error.WriteLine($"{signal.Signal}: stopping (again to end at once)...");
    stop.Cancel();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

var logDir = options.LogDir ?? Path.Combine(Path.GetTempPath(), $"oee-bench-{DateTime.Now:yyyyMMdd-HHmmss}");
var context = new BenchContext(options, RepoPaths.Locate().WithDlls(options.SiloDll, options.ApiDll), logDir, Console.Error);
context.Say($"{scenario.Name}: {MachineInfo.Describe()}; child logs in {logDir}");
try
{
    var figures = await scenario.RunAsync(context, stop.Token);
    await Report.WriteAsync(figures, MachineInfo.Describe(), options.OutFile, Console.Out, context.Sections);
    return 0;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}
catch (Exception ex) when (ex is BenchmarkFailedException or TimeoutException or FileNotFoundException)
{
    Console.Error.WriteLine($"{scenario.Name} failed: {ex.Message}");
    return 1;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"{scenario.Name} failed: {ex.Message}");
    Console.Error.WriteLine(ex);
    return 1;
}
finally
{
    ChildProcessRegistry.KillAll();
}
