namespace Oee.Grains.Tasks;

/// <summary>A task's answer to its queue's dispatch.</summary>
[GenerateSerializer, Alias("oee.start-result")]
internal enum StartResult
{
    /// <summary>The task took the dispatch: it will run (or already runs) and leaves the queue when done.</summary>
    Accepted = 0,

    /// <summary>The task is not queued any more (finished or cancelled); the queue slot is free.</summary>
    NotQueued = 1,

    /// <summary>No task has this id; the queue entry was stale.</summary>
    NotFound = 2,
}
