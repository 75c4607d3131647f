namespace Oee.Benchmarks.Floor;

/// <summary>The card floor's stateless worker: runs a task's body.</summary>
[Alias("oee.bench-card-worker")]
public interface ICardWorkerGrain : IGrainWithIntegerKey
{
    /// <summary>Runs the no-op body on <paramref name="input"/> and answers its output.</summary>
    [Alias("run")]
    Task<string> Run(string input);
}
