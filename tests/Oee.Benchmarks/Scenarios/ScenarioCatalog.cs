namespace Oee.Benchmarks.Scenarios;

/// <summary>Every scenario, by its command-line name.</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new DrainScenario(),
        new LatencyScenario(),
        new DurableScenario(),
        new CompareScenario(),
        new ScaleScenario(),
        new BacklogScenario(),
        new FanOutScenario(),
        new KeyedDrainScenario(),
        new TelemetryScenario(),
        new SettingScenario(),
        new ScheduleScenario(),
        new DelayedScenario(),
        new PurgeScenario(),
        new ModelCallScenario(),
        new PipelineScenario(),
        new EventsScenario(),
        new ObservedScenario(),
        new CallsScenario(),
    ];

    public static IScenario? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
