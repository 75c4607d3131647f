using Cronos;
using Oee.Grains.Contracts;

namespace Oee.Grains.Schedules;

/// <summary>
/// A parsed cron expression in its time zone (Cronos): the occurrences of a schedule. Five fields, or
/// six with seconds first, or a Cronos macro; <c>H</c> (jitter) takes its value from the schedule's name,
/// the same in every process. Daylight-saving changes follow Cronos: a local time skipped by a spring
/// change runs at the first instant after it; in an autumn change a non-interval expression runs once
/// (the first of the repeated times), an interval expression (a <c>*</c>, range or step in its second,
/// minute or hour field) runs in both.
/// </summary>
internal sealed class CronSchedule
{
    private readonly CronExpression expression;
    private readonly TimeZoneInfo zone;

    private CronSchedule(CronExpression expression, TimeZoneInfo zone)
    {
        this.expression = expression;
        this.zone = zone;
    }

    /// <summary>Parses an expression; false with a message saying what is wrong.</summary>
    public static bool TryParseCron(string? cron, string name, out CronExpression? expression, out string error)
    {
        expression = null;
        if (string.IsNullOrWhiteSpace(cron))
        {
            error = "Cron is required: five fields (minute hour day-of-month month day-of-week), six with seconds first, or a macro such as @hourly.";
            return false;
        }

        if (cron.Length > ScheduleLimits.MaxCronLength)
        {
            error = $"Cron must be at most {ScheduleLimits.MaxCronLength} characters.";
            return false;
        }

        var text = cron.Trim();
        var fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
        if (!text.StartsWith('@') && fields is not (5 or 6))
        {
            error = $"Cron '{cron}' has {fields} field(s); use five (minute hour day-of-month month day-of-week) or six with seconds first.";
            return false;
        }

        try
        {
            expression = CronExpression.Parse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard, Seed(name));
            error = "";
            return true;
        }
        catch (CronFormatException ex)
        {
            error = $"Cron '{cron}' is not valid: {ex.Message}";
            return false;
        }
    }

    /// <summary>Finds a time zone by IANA id (or the system's other ids); null (omitted) is UTC.</summary>
    public static bool TryFindZone(string? id, out TimeZoneInfo zone, out string error)
    {
        error = "";
        if (id is null)
        {
            zone = TimeZoneInfo.Utc;
            return true;
        }

        if (!string.IsNullOrWhiteSpace(id) && id.Length <= 100 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
        {
            zone = found;
            return true;
        }

        zone = TimeZoneInfo.Utc;
        error = $"TimeZone '{id}' is not a known time zone; use an IANA id such as Europe/Berlin or America/New_York (UTC when omitted).";
        return false;
    }

    /// <summary>The schedule of a definition already checked by <see cref="ScheduleRules"/>.</summary>
    public static CronSchedule Of(string name, ScheduleDefinition definition)
    {
        if (!TryParseCron(definition.Cron, name, out var expression, out var error) || !TryFindZone(definition.TimeZone, out var zone, out error))
        {
            throw new ArgumentException(error, nameof(definition));
        }

        return new CronSchedule(expression!, zone);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>; null when there is none (e.g. 30 February).</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => expression.GetNextOccurrence(after, zone, inclusive: false);

    /// <summary>Occurrences in (<paramref name="after"/>, <paramref name="through"/>], oldest first.</summary>
    public IEnumerable<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset through) =>
        after >= through ? [] : expression.GetOccurrences(after, through, zone, fromInclusive: false, toInclusive: true);

    /// <summary>Occurrences in (<paramref name="after"/>, <paramref name="through"/>], newest first.</summary>
    public IEnumerable<DateTimeOffset> BetweenNewestFirst(DateTimeOffset after, DateTimeOffset through) =>
        after >= through ? [] : expression.GetOccurrencesDescending(through, after, zone, fromInclusive: true, toInclusive: false);

    /// <summary>Up to <paramref name="count"/> occurrences strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset[] NextOccurrences(DateTimeOffset after, int count)
    {
        var next = new List<DateTimeOffset>(count);
        var from = after;
        while (next.Count < count && Next(from) is { } occurrence)
        {
            next.Add(occurrence);
            from = occurrence;
        }

        return [.. next];
    }

    private static int Seed(string name) => unchecked((int)Storage.Memory.StableHash.Of(name));
}
