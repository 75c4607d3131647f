using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Oee.Api.Errors;

namespace Oee.Api.Security;

/// <summary>
/// Closed by default to tenant-bound keys: such a key reaches only the endpoints marked
/// <see cref="OpenToTenants{TBuilder}"/> (their handlers narrow what they show to the key's tenant) and the
/// anonymous ones (health, the OpenAPI document). Any other endpoint, including one added later and never
/// reviewed for tenants, answers 403 to it, so that a new route cannot leak another tenant's tasks by
/// omission. Keys without a tenant are not affected.
/// </summary>
internal static class TenantEndpoints
{
    /// <summary>Marks endpoints whose handlers show a tenant key only its tenant's tasks.</summary>
    public static TBuilder OpenToTenants<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OpenToTenantsMarker());

    /// <summary>True when the request may go on: no tenant key, no endpoint (static files, 404), or an endpoint open to it.</summary>
    public static bool Allows(HttpContext context) =>
        ApiCaller.Tenant(context.User) is null
        || context.GetEndpoint() is not { } endpoint
        || endpoint.Metadata.GetMetadata<OpenToTenantsMarker>() is not null
        || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;

    /// <summary>The middleware, after authorization: a tenant key on an endpoint not open to tenants gets a 403 problem.</summary>
    public static async Task Guard(HttpContext context, RequestDelegate next)
    {
        if (Allows(context))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "Forbidden",
            Detail = $"This API key is bound to tenant '{ApiCaller.Tenant(context.User)}': this endpoint is not open to tenant keys. They may use /api/tasks, /api/pipelines, the event streams, /api/handlers and /api/models.",
        };
        problem.Extensions[ApiProblems.TraceIdKey] = ApiProblems.TraceId(context);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    /// <summary>Endpoint metadata: the endpoint is open to tenant-bound keys.</summary>
    internal sealed class OpenToTenantsMarker;
}
