namespace Oee.Benchmarks.Floor;

/// <summary>The bare grain of the floor measurement: one call, then it deactivates.</summary>
[Alias("oee.bench-floor")]
public interface IFloorGrain : IGrainWithStringKey
{
    /// <summary>Returns <paramref name="input"/> (as the echo handler does) and asks to be deactivated.</summary>
    [Alias("run")]
    Task<string> Run(string input);
}
