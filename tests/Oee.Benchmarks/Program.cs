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
if (args is [Oee.Benchmarks.Peers.PeerInOwnProcess.Command, var peerMode, .. var peerArgs])
{
    // A child process of a peer's drain with .NET's default runtime settings (Peers/PeerInOwnProcess), not a scenario.
    var peerOptions = OptionParser.Parse(peerArgs, out var peerErrors);
    if (peerOptions is null)
    {
        peerErrors.ForEach(Console.Error.WriteLine);
        return 2;
    }

    var peerContext = new BenchContext(peerOptions, RepoPaths.Locate(), peerOptions.LogDir ?? Path.GetTempPath(), Console.Error);
    try
    {
        var peerFigures = await Oee.Benchmarks.Peers.PeerInOwnProcess.RunChildAsync(peerContext, peerMode, CancellationToken.None);
        await Report.WriteAsync(peerFigures, MachineInfo.Describe(), peerOptions.OutFile, Console.Out);
        return 0;
    }
    catch (BenchmarkFailedException ex)
    {
        Console.Error.WriteLine($"{Oee.Benchmarks.Peers.PeerInOwnProcess.Command} {peerMode} failed: {ex.Message}");
        return 1;
    }
}

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
    if (context.Missing.Count > 0)
    {
        // Printed, but not a complete result: a missing peer turns its bars into n/a, which must not pass for a clean run.
        Console.Error.WriteLine($"{scenario.Name}: incomplete, {context.Missing.Count} part(s) left out:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", context.Missing)}");
        return 3;
    }

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
