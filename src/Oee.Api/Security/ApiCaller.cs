using System.Security.Claims;
using Oee.Grains.Contracts;

namespace Oee.Api.Security;

/// <summary>Who sent a request, as the task routes need it.</summary>
internal static class ApiCaller
{
    /// <summary>The API key id of the request, or null for the anonymous admin of a keyless API.</summary>
    public static string? KeyId(ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        return id == ApiKeyAuthenticationHandler.AnonymousName ? null : id;
    }

    /// <summary>The claim that carries a tenant-bound key's tenant.</summary>
    public const string TenantClaim = "oee:tenant";

    /// <summary>The tenant the request's API key is bound to, or null for a key that sees every task.</summary>
    public static string? Tenant(ClaimsPrincipal user) => user.FindFirstValue(TenantClaim);

    /// <summary>
    /// True when the caller may see <paramref name="task"/>: a key without a tenant sees every task, a
    /// tenant-bound key only its tenant's. A task the caller may not see answers exactly like a missing one.
    /// </summary>
    public static bool MaySee(ClaimsPrincipal user, TaskRecord task) =>
        Tenant(user) is not { } tenant || string.Equals(task.Tenant, tenant, StringComparison.Ordinal);

    /// <summary>
    /// True when the caller may cancel or retry <paramref name="task"/>: an admin any task, a submitter
    /// only the tasks its key submitted.
    /// </summary>
    public static bool MayChange(ClaimsPrincipal user, TaskRecord task) =>
        user.IsInRole(OeeRoles.Admin)
        || (user.IsInRole(OeeRoles.Submitter) && task.SubmittedBy is { } owner && owner == KeyId(user));
}
