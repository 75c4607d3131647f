namespace Oee.Grains.Tasks;

/// <summary>
/// Tells a task grain, through Orleans' request context, that the submit activating it is for an id
/// the client facade has just generated, so no record can exist yet and its activation need not read
/// storage. Only a hint: the record's first write is conditional on there being none (a null ETag),
/// so a wrong hint makes the submit fail, never overwrite a task. The value is the task's id, so that
/// a hint carried on by a call the task makes is ignored by every other grain; the task grain also
/// removes it as its submit begins.
/// </summary>
internal static class NewTaskHint
{
    private const string Key = "oee.new-task";

    /// <summary>Marks the calls made until <see cref="Clear"/> as the submit of the new task <paramref name="taskId"/>.</summary>
    public static void Set(string taskId) => RequestContext.Set(Key, taskId);

    /// <summary>True when the current request is the submit of the new task <paramref name="taskId"/>.</summary>
    public static bool IsFor(string taskId) => RequestContext.Get(Key) is string hinted && hinted == taskId;

    /// <summary>Removes the hint from the current request context.</summary>
    public static void Clear() => RequestContext.Remove(Key);
}
