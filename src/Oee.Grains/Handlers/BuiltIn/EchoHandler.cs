namespace Oee.Grains.Handlers.BuiltIn;

/// <summary><c>echo</c>: the result is the input, unchanged.</summary>
public sealed class EchoHandler : ITaskHandler
{
    /// <summary>The registered name.</summary>
    public const string Name = "echo";

    /// <inheritdoc />
    public Task<string?> ExecuteAsync(TaskContext context) => Task.FromResult(context.Input);
}
