using Oee.Grains.Contracts;

namespace Oee.Grains.Tasks;

/// <summary>A request to change a task, applied by <see cref="TaskStateMachine"/>.</summary>
internal abstract record TaskCommand
{
    private TaskCommand()
    {
    }

    /// <summary>The body gets a worker slot on <paramref name="Silo"/> and starts a new attempt.</summary>
    public sealed record Start(string Silo) : TaskCommand;

    /// <summary>Attempt <paramref name="Attempt"/> of the body ended with <paramref name="Outcome"/>.</summary>
    public sealed record Complete(int Attempt, TaskOutcome Outcome) : TaskCommand;

    /// <summary>A user asks to cancel the task.</summary>
    public sealed record Cancel : TaskCommand;
}
