namespace Oee.Grains.Contracts;

/// <summary>The fixed limits and defaults of schedules.</summary>
public static class ScheduleLimits
{
    /// <summary>
    /// The longest schedule name (1–100 characters of <c>[A-Za-z0-9._-]</c>), so that an occurrence's
    /// task id <c>schedule:{name}:{yyyyMMddTHHmmssZ}</c> fits the 128 characters of a task id.
    /// </summary>
    public const int MaxNameLength = 100;

    /// <summary>The longest cron expression.</summary>
    public const int MaxCronLength = 200;

    /// <summary>The time zone of a schedule that names none.</summary>
    public const string DefaultTimeZone = "UTC";

    /// <summary>How many missed occurrences <see cref="MissedRunPolicy.RunAll"/> runs when the schedule does not say.</summary>
    public const int DefaultMaxMissedRuns = 10;

    /// <summary>The most missed occurrences <see cref="MissedRunPolicy.RunAll"/> may be set to run.</summary>
    public const int MaxMissedRuns = 100;

    /// <summary>How many upcoming occurrences a schedule's status lists.</summary>
    public const int NextOccurrences = 5;

    /// <summary>How many of its latest runs a schedule keeps and lists.</summary>
    public const int RecentRuns = 20;

    /// <summary>The prefix of every task id a schedule submits.</summary>
    public const string TaskIdPrefix = "schedule:";

    /// <summary>The format of an occurrence's instant in its task id (UTC, to the second).</summary>
    public const string InstantFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>True when <paramref name="name"/> is 1–<see cref="MaxNameLength"/> characters of <c>[A-Za-z0-9._-]</c>.</summary>
    public static bool IsName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The id of the task that the occurrence at <paramref name="occurrence"/> of schedule <paramref name="name"/> submits.</summary>
    public static string TaskIdFor(string name, DateTimeOffset occurrence) =>
        TaskIdPrefix + name + ":" + occurrence.UtcDateTime.ToString(InstantFormat, System.Globalization.CultureInfo.InvariantCulture);
}
