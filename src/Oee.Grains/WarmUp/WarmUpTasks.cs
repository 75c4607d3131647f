namespace Oee.Grains.WarmUp;

/// <summary>
/// The start-up warm-up's real tasks (<see cref="Configuration.OeeWarmUpOptions.Tasks"/>, memory storage only): echo
/// tasks submitted through the silo's own client facade into the engine's queue <see cref="Queue"/>, run, and
/// purged, so that the first user tasks after a start run compiled code along the whole task path (queue,
/// record writes, worker, handler). They are kept out of everything a user sees: no metric, no event, no
/// span, no queue in the listings, and no record once purged. Users cannot submit to <see cref="Queue"/>: a
/// submit there is refused unless the warm-up marked its request (<see cref="Mark"/>).
/// </summary>
internal static class WarmUpTasks
{
    /// <summary>The engine's queue for the warm-up's tasks.</summary>
    public const string Queue = "oee.warm-up";

    private const string MarkKey = "oee.warm-up";

    /// <summary>True for the warm-up's queue.</summary>
    public static bool IsQueue(string? queue) => string.Equals(queue, Queue, StringComparison.Ordinal);

    /// <summary>Marks the calls made until <see cref="Unmark"/> as the warm-up's submits.</summary>
    public static void Mark() => RequestContext.Set(MarkKey, true);

    /// <summary>Removes the mark from the current request context.</summary>
    public static void Unmark() => RequestContext.Remove(MarkKey);

    /// <summary>True when the current request carries the warm-up's mark; removes it, so that no call the task makes carries it on.</summary>
    public static bool TakeMark()
    {
        if (RequestContext.Get(MarkKey) is not true)
        {
            return false;
        }

        RequestContext.Remove(MarkKey);
        return true;
    }

    /// <summary>The refusal of a user's submit to the warm-up's queue.</summary>
    public static Contracts.FieldError Refusal { get; } =
        new("queue", $"Queue '{Queue}' is the engine's own (its start-up warm-up); submit to another queue.");
}
