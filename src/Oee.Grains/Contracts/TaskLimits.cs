namespace Oee.Grains.Contracts;

/// <summary>The fixed limits of task fields.</summary>
public static class TaskLimits
{
    /// <summary>The longest timeout a task (or a queue's default) may have.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(365);

    /// <summary>The lowest priority.</summary>
    public const int MinPriority = 0;

    /// <summary>The highest priority.</summary>
    public const int MaxPriority = 10;

    /// <summary>The priority of a task submitted without one.</summary>
    public const int DefaultPriority = 5;

    /// <summary>The longest task name.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The longest task id or queue name.</summary>
    public const int MaxIdentifierLength = 128;

    /// <summary>
    /// True when free text (a task's name) can be stored: it holds no NUL character (U+0000), which
    /// PostgreSQL's text cannot hold. Every other character, control characters included, is kept as sent.
    /// </summary>
    public static bool IsStorableText(string text) => !text.Contains('\0', StringComparison.Ordinal);

    /// <summary>The longest tag.</summary>
    public const int MaxTagLength = 64;

    /// <summary>The most tags on one task.</summary>
    public const int MaxTags = 20;

    /// <summary>The most attempts a task may ask for.</summary>
    public const int MaxAttempts = 100;

    /// <summary>The most dependencies one task may have.</summary>
    public const int MaxDependencies = 100;

    /// <summary>
    /// In a batch, a dependency written <c>#i</c> (this prefix and a 0-based index) names the batch's
    /// <c>tasks[i]</c>, whatever id it has or is given.
    /// </summary>
    public const string BatchReferencePrefix = "#";

    /// <summary>The furthest ahead a delayed start may be (<see cref="SubmitTaskRequest.RunAt"/>, <see cref="SubmitTaskRequest.Delay"/>): 365 days.</summary>
    public static readonly TimeSpan MaxStartDelay = TimeSpan.FromDays(365);

    /// <summary>The longest backoff delay a retry policy may give (<see cref="RetryPolicy.InitialDelay"/>, <see cref="RetryPolicy.MaxDelay"/>): 30 days.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromDays(30);

    /// <summary>The largest backoff multiplier a retry policy may give.</summary>
    public const double MaxRetryMultiplier = 100;

    /// <summary>The most tasks in one batch submit.</summary>
    public const int MaxBatchSize = 1000;

    /// <summary>The queue of a task submitted without one.</summary>
    public const string DefaultQueue = "default";

    /// <summary>The longest tenant name.</summary>
    public const int MaxTenantLength = 64;

    /// <summary>
    /// True when <paramref name="value"/> is a tenant name: 1–<see cref="MaxTenantLength"/> characters of
    /// <c>[A-Za-z0-9._-]</c> (no colon, unlike an identifier).
    /// </summary>
    public static bool IsTenant(string? value) =>
        IsIdentifier(value, MaxTenantLength) && !value!.Contains(':', StringComparison.Ordinal);

    /// <summary>
    /// True when <paramref name="value"/> is 1–<paramref name="maxLength"/> characters of
    /// <c>[A-Za-z0-9._:-]</c>: the rule for task ids, queue names, handler names and tags.
    /// </summary>
    public static bool IsIdentifier(string? value, int maxLength = MaxIdentifierLength)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
