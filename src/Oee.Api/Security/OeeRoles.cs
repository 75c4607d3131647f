namespace Oee.Api.Security;

/// <summary>
/// The roles an API key may have, each including the ones before it: <see cref="Reader"/> reads
/// (get, list, events, metrics, the dashboard read-only); <see cref="Submitter"/> also submits, and
/// cancels and retries the tasks it submitted; <see cref="Admin"/> also changes queues, schedules and
/// retention, touches any task, and opens the Orleans dashboard.
/// </summary>
public static class OeeRoles
{
    /// <summary>Reads only.</summary>
    public const string Reader = "reader";

    /// <summary>Reads, submits, cancels and retries its own tasks.</summary>
    public const string Submitter = "submitter";

    /// <summary>Everything.</summary>
    public const string Admin = "admin";

    private static readonly string[] Ordered = [Reader, Submitter, Admin];

    /// <summary>The roles, weakest first.</summary>
    public static IReadOnlyList<string> All { get; } = Array.AsReadOnly(Ordered);

    /// <summary>True when <paramref name="role"/> is one of <see cref="All"/>.</summary>
    public static bool IsKnown(string? role) => role is not null && All.Contains(role);

    /// <summary>The role and every weaker one: the role claims a principal with <paramref name="role"/> carries.</summary>
    public static IEnumerable<string> Implied(string role) => Ordered.Take(Array.IndexOf(Ordered, role) + 1);
}
