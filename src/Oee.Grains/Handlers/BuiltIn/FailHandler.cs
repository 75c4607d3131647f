namespace Oee.Grains.Handlers.BuiltIn;

/// <summary><c>fail</c>: input <c>{"message": "..."}</c>; the body fails with that message.</summary>
public sealed class FailHandler : TaskHandler<FailHandler.Input, object>
{
    /// <summary>The registered name.</summary>
    public const string Name = "fail";

    /// <inheritdoc />
    protected override string InputShape => "{\"message\": \"...\"}";

    /// <inheritdoc />
    protected override string? Validate(Input input) =>
        string.IsNullOrEmpty(input.Message) ? "\"message\" must be a non-empty string." : null;

    /// <inheritdoc />
    protected override Task<object> HandleAsync(Input input, TaskContext context) =>
        throw new TaskBodyFailedException(input.Message!);

    /// <summary>The input.</summary>
    /// <param name="Message">The failure message.</param>
    public sealed record Input(string? Message);
}
