namespace Oee.Grains.Contracts;

/// <summary>How a cancel ended.</summary>
[GenerateSerializer, Alias("oee.cancel-status")]
public enum CancelStatus
{
    /// <summary>The task is now cancelled (it was queued, or already cancelled).</summary>
    Cancelled = 0,

    /// <summary>The task is running; its body was told to stop and it ends cancelled when it does.</summary>
    CancellationRequested = 1,

    /// <summary>The task had already finished as done or error; nothing changed.</summary>
    AlreadyFinished = 2,

    /// <summary>No task has this id.</summary>
    NotFound = 3,
}

/// <summary>The answer to a cancel.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Task">The task after the cancel, or null when not found.</param>
[GenerateSerializer, Alias("oee.cancel-result")]
public sealed record CancelResult([property: Id(0)] CancelStatus Status, [property: Id(1)] TaskRecord? Task);
