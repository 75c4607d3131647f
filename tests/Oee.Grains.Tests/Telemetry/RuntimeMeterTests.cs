namespace Oee.Grains.Tests.Telemetry;

/// <summary>
/// .NET's own meter (<c>System.Runtime</c>) is exported beside OEE's by default, so that a scrape shows a silo's
/// collections, heap and thread pool next to its tasks; <c>Oee:Telemetry:RuntimeMetrics=false</c> leaves it out.
/// </summary>
public sealed class RuntimeMeterTests
{
    // A few of the runtime's instruments an operator reads first.
    private static readonly string[] Runtime =
        ["dotnet.gc.collections", "dotnet.gc.last_collection.heap.size", "dotnet.gc.pause.time", "dotnet.process.memory.working_set", "dotnet.thread_pool.queue.length"];

    // At least one collection has happened, so that the collection instruments have something to say.
    private static HashSet<string> Exported(params (string Key, string Value)[] settings) => MetricNameCollector.Export(settings, () => GC.Collect());

    [Fact]
    public void By_default_the_runtime_meter_is_exported()
    {
        var names = Exported();
        Assert.All(Runtime, name => Assert.Contains(name, names));
    }

    [Fact]
    public void With_the_setting_off_no_runtime_instrument_is_exported()
    {
        var names = Exported(("Oee:Telemetry:RuntimeMetrics", "false"));
        Assert.DoesNotContain(names, name => name.StartsWith("dotnet.", StringComparison.Ordinal));
    }
}
