namespace Oee.Grains.Tasks;

/// <summary>
/// What a dependent's body reads of a dependency that ended done: its result (JSON text, or null when the
/// body returned none), and nothing else of its record (<see cref="ITaskEngineGrain.GetDoneResult"/>).
/// </summary>
/// <param name="Result">The dependency's result as JSON text, or null.</param>
[GenerateSerializer, Immutable, Alias("oee.done-result")]
internal sealed record DoneResult([property: Id(0)] string? Result);
