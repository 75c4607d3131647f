using Orleans.Concurrency;

namespace Oee.Benchmarks.Floor;

/// <summary>
/// The card floor's WorkerGrain: stateless, one reentrant activation per silo (as OEE's), so a body
/// runs on its task's silo. The body is a no-op (it answers its input, as the echo handler does) and
/// runs within the call: the cheapest the card permits (OEE runs bodies on the thread pool and takes
/// the outcome through the silo's memory, so that a long body holds no call open).
/// </summary>
[StatelessWorker(1)]
[Reentrant]
internal sealed class CardWorkerGrain : Grain, ICardWorkerGrain
{
    Task<string> ICardWorkerGrain.Run(string input) => Body(input);

    private static Task<string> Body(string input) => Task.FromResult(input);
}
