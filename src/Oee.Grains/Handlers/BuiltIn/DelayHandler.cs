namespace Oee.Grains.Handlers.BuiltIn;

/// <summary>
/// <c>delay</c>: input <c>{"ms": n}</c>; waits n milliseconds (at most a day), stopping at once
/// when the task is cancelled. With <c>"steps": s</c> (1–100) it waits in s equal steps and reports
/// progress after each (<c>100·i/s</c> percent, message <c>"step i of s"</c>). The result is <c>{"ms": n}</c>.
/// </summary>
public sealed class DelayHandler : TaskHandler<DelayHandler.Input, DelayHandler.Output>
{
    /// <summary>The registered name.</summary>
    public const string Name = "delay";

    /// <summary>The longest delay accepted.</summary>
    public const int MaxMilliseconds = 86_400_000;

    /// <summary>The most progress steps.</summary>
    public const int MaxSteps = 100;

    /// <inheritdoc />
    protected override string InputShape => "{\"ms\": n, \"steps\": s} with 0 <= n <= 86400000 and, optionally, 1 <= s <= 100";

    /// <inheritdoc />
    protected override string? Validate(Input input) =>
        input.Ms is null or < 0 or > MaxMilliseconds ? $"\"ms\" must be a whole number from 0 to {MaxMilliseconds}."
        : input.Steps is < 1 or > MaxSteps ? $"\"steps\" must be a whole number from 1 to {MaxSteps}."
        : null;

    /// <inheritdoc />
    protected override async Task<Output> HandleAsync(Input input, TaskContext context)
    {
        var total = TimeSpan.FromMilliseconds(input.Ms!.Value);
        if (input.Steps is not { } steps)
        {
            await Task.Delay(total, context.Time, context.CancellationToken).ConfigureAwait(false);
            return new Output(input.Ms.Value);
        }

        // Each step ends at its own instant from the start, so that a clock moved on at once ends them all.
        var start = context.Time.GetUtcNow();
        for (var i = 1; i <= steps; i++)
        {
            var wait = start + (total * i / steps) - context.Time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, context.Time, context.CancellationToken).ConfigureAwait(false);
            }

            await context.ReportProgressAsync(100 * i / steps, $"step {i} of {steps}").ConfigureAwait(false);
        }

        return new Output(input.Ms.Value);
    }

    /// <summary>The input.</summary>
    /// <param name="Ms">Milliseconds to wait.</param>
    /// <param name="Steps">Optional: wait in this many steps, reporting progress after each.</param>
    public sealed record Input(int? Ms, int? Steps = null);

    /// <summary>The result.</summary>
    /// <param name="Ms">Milliseconds waited.</param>
    public sealed record Output(int Ms);
}
