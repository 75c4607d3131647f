using Oee.Grains.Contracts;

namespace Oee.Grains.Schedules;

/// <summary>
/// What a schedule does when it wakes at <c>now</c>, having handled every occurrence up to its anchor:
/// the due occurrences in (anchor, now] split into late ones (at most the misfire threshold old: they
/// always run) and missed ones (older: the missed-run policy picks which run). Pure: no clock, no I/O.
/// </summary>
/// <param name="Runs">The occurrences to run, oldest first.</param>
/// <param name="Skipped">How many missed occurrences are skipped (all older than every run).</param>
/// <param name="SkippedThrough">The newest skipped occurrence, or null when none is.</param>
/// <param name="CaughtUp">How many of <paramref name="Runs"/> (the first ones) are missed occurrences run by the policy.</param>
internal sealed record OccurrencePlan(IReadOnlyList<DateTimeOffset> Runs, long Skipped, DateTimeOffset? SkippedThrough, int CaughtUp = 0)
{
    /// <summary>The plan for a schedule that has handled every occurrence up to <paramref name="anchor"/>.</summary>
    public static OccurrencePlan For(
        CronSchedule schedule,
        DateTimeOffset anchor,
        DateTimeOffset now,
        TimeSpan misfireThreshold,
        MissedRunPolicy policy,
        int maxMissedRuns)
    {
        // Missed: older than the threshold, (anchor, missedUntil]; one exactly the threshold old is late and runs.
        var missedUntil = now - misfireThreshold - TimeSpan.FromTicks(1);
        var late = schedule.Between(anchor > missedUntil ? anchor : missedUntil, now).ToList();
        if (anchor >= missedUntil)
        {
            return new OccurrencePlan(late, 0, null);
        }

        // Missed occurrences, newest first: the policy keeps the newest few, the rest are counted as skipped.
        var keep = policy switch
        {
            MissedRunPolicy.RunOnce => 1,
            MissedRunPolicy.RunAll => Math.Max(1, maxMissedRuns),
            _ => 0,
        };
        var kept = new List<DateTimeOffset>(keep);
        long skipped = 0;
        DateTimeOffset? skippedThrough = null;
        foreach (var occurrence in schedule.BetweenNewestFirst(anchor, missedUntil))
        {
            if (kept.Count < keep)
            {
                kept.Add(occurrence);
                continue;
            }

            skippedThrough ??= occurrence;
            skipped++;
        }

        kept.Reverse();
        var caughtUp = kept.Count;
        kept.AddRange(late);
        return new OccurrencePlan(kept, skipped, skippedThrough, caughtUp);
    }
}
