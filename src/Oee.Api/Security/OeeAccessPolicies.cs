using Microsoft.AspNetCore.Authorization;

namespace Oee.Api.Security;

/// <summary>
/// The authorization policies of the REST API: one per role (a key's role includes the weaker ones),
/// and the fallback for an endpoint that names none: reads (GET, HEAD) need <see cref="OeeRoles.Reader"/>,
/// anything else <see cref="OeeRoles.Admin"/>, so that a new endpoint is closed until it says otherwise.
/// </summary>
internal static class OeeAccessPolicies
{
    /// <summary>Reading: get, list, events, metrics.</summary>
    public const string Read = OeeRoles.Reader;

    /// <summary>Submitting, and cancelling or retrying one's own tasks.</summary>
    public const string Submit = OeeRoles.Submitter;

    /// <summary>Queues, schedules, retention, any task.</summary>
    public const string Administer = OeeRoles.Admin;

    /// <summary>Reading cluster-wide figures (system status, queues, schedules, metrics): a reader's key that is not bound to a tenant.</summary>
    public const string ReadClusterWide = "cluster-reader";

    public static void Add(AuthorizationOptions options)
    {
        foreach (var role in OeeRoles.All)
        {
            options.AddPolicy(role, policy => policy.RequireAuthenticatedUser().RequireRole(role));
        }

        options.AddPolicy(ReadClusterWide, policy => policy
            .RequireAuthenticatedUser()
            .RequireRole(OeeRoles.Reader)
            .RequireAssertion(context => ApiCaller.Tenant(context.User) is null));

        options.FallbackPolicy = new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .AddRequirements(new ReadOrAdminRequirement())
            .Build();
    }

    /// <summary>
    /// The endpoint shows cluster-wide figures: it needs <see cref="ReadClusterWide"/>, and a tenant key's
    /// 403 says why (<see cref="ClusterWideMarker"/>).
    /// </summary>
    public static TBuilder RequireClusterWideRead<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(ReadClusterWide).WithMetadata(new ClusterWideMarker());

    /// <summary>GET and HEAD need the reader role, other methods the admin role.</summary>
    internal sealed class ReadOrAdminRequirement : AuthorizationHandler<ReadOrAdminRequirement>, IAuthorizationRequirement
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReadOrAdminRequirement requirement)
        {
            var method = (context.Resource as HttpContext)?.Request.Method;
            var role = HttpMethods.IsGet(method ?? "") || HttpMethods.IsHead(method ?? "") ? OeeRoles.Reader : OeeRoles.Admin;
            if (context.User.IsInRole(role))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }
}

/// <summary>Endpoint metadata: the endpoint shows cluster-wide figures, closed to tenant-bound keys.</summary>
internal sealed class ClusterWideMarker;
