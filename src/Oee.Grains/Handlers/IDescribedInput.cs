namespace Oee.Grains.Handlers;

/// <summary>A handler that can say what its input should look like (the typed <see cref="TaskHandler{TInput, TResult}"/>).</summary>
internal interface IDescribedInput
{
    /// <summary>The input's shape, as in the handler's error messages.</summary>
    string InputShape { get; }
}
