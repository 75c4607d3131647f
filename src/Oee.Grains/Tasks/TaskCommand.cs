using Oee.Grains.Contracts;
using Oee.Grains.Workers;

namespace Oee.Grains.Tasks;

/// <summary>A request to change a task, applied by <see cref="TaskStateMachine"/>.</summary>
internal abstract record TaskCommand
{
    private TaskCommand()
    {
    }

    /// <summary>
    /// The body gets a worker slot on <paramref name="Silo"/> and starts a new attempt.
    /// <paramref name="RecoverLostAttempt"/>: the record says running but no activation runs it
    /// any more (its silo died), so the running attempt is lost.
    /// </summary>
    public sealed record Start(string Silo, bool RecoverLostAttempt = false) : TaskCommand;

    /// <summary>
    /// Attempt <paramref name="Attempt"/> of the body ended with <paramref name="Outcome"/>.
    /// <paramref name="JitterSample"/>: uniform in [0, 1), the <c>u</c> of a retry's backoff (<see cref="RetryBackoff"/>).
    /// </summary>
    public sealed record Complete(int Attempt, TaskOutcome Outcome, double JitterSample = 0) : TaskCommand;

    /// <summary>A scheduled task's time has come and its queue holds it as waiting: it is queued.</summary>
    public sealed record Due : TaskCommand;

    /// <summary>A user asks to run a task that ended error or cancelled again, as a new attempt.</summary>
    public sealed record Retry : TaskCommand;

    /// <summary>A user asks to cancel the task.</summary>
    public sealed record Cancel : TaskCommand;

    /// <summary>
    /// Attempt <paramref name="Attempt"/> was stopped because its silo is shutting down, or never began its
    /// body because its activation was going away: hand the task back to its queue. <paramref name="BodyRan"/>
    /// false: the body never started (the silo's worker could not be reached while it stopped, or the
    /// activation began to deactivate while the start was being written), so the attempt is not counted:
    /// the next start is the same attempt.
    /// </summary>
    public sealed record Requeue(int Attempt, bool BodyRan = true) : TaskCommand;

    /// <summary>
    /// Dependency <paramref name="DependencyId"/> finished as <paramref name="Status"/> (null: it no
    /// longer exists, e.g. removed by retention before this task learned its end). Repeats change nothing.
    /// </summary>
    public sealed record DependencyFinished(string DependencyId, OeeTaskStatus? Status) : TaskCommand;

    /// <summary>Tasks <paramref name="Ids"/> wait for this one: remember to tell them when it finishes.</summary>
    public sealed record AddDependents(string[] Ids) : TaskCommand;

    /// <summary>The body of <paramref name="Attempt"/> reports progress (0–100 and a message); kept only while that attempt runs.</summary>
    public sealed record Progress(int Attempt, int Percent, string? Message) : TaskCommand;
}
