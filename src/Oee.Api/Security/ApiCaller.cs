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

    /// <summary>
    /// True when the caller may cancel or retry <paramref name="task"/>: an admin any task, a submitter
    /// only the tasks its key submitted.
    /// </summary>
    public static bool MayChange(ClaimsPrincipal user, TaskRecord task) =>
        user.IsInRole(OeeRoles.Admin)
        || (user.IsInRole(OeeRoles.Submitter) && task.SubmittedBy is { } owner && owner == KeyId(user));
}
