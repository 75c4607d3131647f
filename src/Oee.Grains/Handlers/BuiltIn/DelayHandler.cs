namespace Oee.Grains.Handlers.BuiltIn;

/// <summary>
/// <c>delay</c>: input <c>{"ms": n}</c>; waits n milliseconds (at most a day), stopping at once
/// when the task is cancelled. The result is <c>{"ms": n}</c>.
/// </summary>
public sealed class DelayHandler : TaskHandler<DelayHandler.Input, DelayHandler.Output>
{
    /// <summary>The registered name.</summary>
    public const string Name = "delay";

    /// <summary>The longest delay accepted.</summary>
    public const int MaxMilliseconds = 86_400_000;

    /// <inheritdoc />
    protected override string InputShape => "{\"ms\": n} with 0 <= n <= 86400000";

    /// <inheritdoc />
    protected override string? Validate(Input input) =>
        input.Ms is null or < 0 or > MaxMilliseconds ? $"\"ms\" must be a whole number from 0 to {MaxMilliseconds}." : null;

    /// <inheritdoc />
    protected override async Task<Output> HandleAsync(Input input, TaskContext context)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(input.Ms!.Value), context.Time, context.CancellationToken).ConfigureAwait(false);
        return new Output(input.Ms.Value);
    }

    /// <summary>The input.</summary>
    /// <param name="Ms">Milliseconds to wait.</param>
    public sealed record Input(int? Ms);

    /// <summary>The result.</summary>
    /// <param name="Ms">Milliseconds waited.</param>
    public sealed record Output(int Ms);
}
