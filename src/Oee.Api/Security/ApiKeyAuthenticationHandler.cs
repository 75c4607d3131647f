using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Oee.Api.Errors;

namespace Oee.Api.Security;

/// <summary>
/// Authenticates a request by its API key, sent as <c>Authorization: Bearer oee_…</c> or
/// <c>X-Api-Key: oee_…</c>: the key id picks the configured entry, the key is hashed with its salt and
/// compared in constant time. The principal carries the key id, and its role with every weaker one. With
/// no keys configured, a request that reached a loopback address (or any, when
/// <see cref="OeeApiSecurityOptions.AllowAnonymousOnNetwork"/>) is the anonymous admin. Failures
/// answer 401 and 403 as problem+json. A refused key is logged at Warning at most once a minute per client address, an
/// IPv6 address by its /64 network (<see cref="RejectedKeyLogThrottle"/>, <see cref="ClientNetwork"/>), the others at Debug.
/// </summary>
internal sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<OeeApiSecurityOptions> security,
    RejectedKeyLogThrottle rejectedKeyLog) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The header that may carry the key instead of <c>Authorization</c>.</summary>
    public const string KeyHeader = "X-Api-Key";

    /// <summary>The name of the principal of a request without keys configured.</summary>
    public const string AnonymousName = "anonymous";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var options = security.Value;
        if (!options.RequiresKeys)
        {
            return Task.FromResult(options.AllowAnonymousOnNetwork || IsLoopback(Context.Connection)
                ? Success(AnonymousName, AnonymousName, OeeRoles.Admin, tenant: null)
                : AuthenticateResult.Fail("This API has no keys configured and answers only requests to a loopback address."));
        }

        if (!TryReadKey(out var presented, out var problem))
        {
            return Task.FromResult(problem is null ? AuthenticateResult.NoResult() : AuthenticateResult.Fail(problem));
        }

        if (ApiKeyHash.KeyIdOf(presented) is not { } keyId
            || !options.Keys.TryGetValue(keyId, out var entry)
            || !ApiKeyHash.Verify(presented, entry.Hash))
        {
            LogRejectedKey(Context.Connection.RemoteIpAddress);
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        return Task.FromResult(Success(keyId, entry.Description ?? keyId, entry.Role, entry.Tenant));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"oee\"";
        return WriteProblem(
            StatusCodes.Status401Unauthorized,
            "Unauthorized",
            security.Value.RequiresKeys
                ? $"Send a valid API key as 'Authorization: Bearer oee_…' or '{KeyHeader}: oee_…'."
                : "This API has no keys configured and answers only requests to a loopback address.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiCaller.Tenant(Context.User) is { } tenant && Context.GetEndpoint()?.Metadata.GetMetadata<ClusterWideMarker>() is not null
            ? WriteProblem(
                StatusCodes.Status403Forbidden,
                "Forbidden",
                $"This API key is bound to tenant '{tenant}': tenant keys cannot read cluster-wide figures (system status, queues, schedules, metrics, dashboard history). Use /api/tasks, which lists the tenant's own tasks.")
            : WriteProblem(StatusCodes.Status403Forbidden, "Forbidden", "The API key's role does not allow this action.");

    private bool TryReadKey(out string key, out string? problem)
    {
        key = "";
        problem = null;
        string? fromAuthorization = null;
        var authorization = Request.Headers.Authorization;
        if (authorization.Count > 1 || Request.Headers[KeyHeader].Count > 1)
        {
            problem = "Send one API key, in one header.";
            return false;
        }

        if (authorization.Count == 1)
        {
            var value = authorization[0]!;
            if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                problem = "The Authorization header must be 'Bearer oee_…'.";
                return false;
            }

            fromAuthorization = value["Bearer ".Length..].Trim();
        }

        var fromHeader = Request.Headers[KeyHeader].Count == 1 ? Request.Headers[KeyHeader][0]!.Trim() : null;
        if (fromAuthorization is not null && fromHeader is not null && fromAuthorization != fromHeader)
        {
            problem = $"The Authorization and {KeyHeader} headers carry different keys.";
            return false;
        }

        key = fromAuthorization ?? fromHeader ?? "";
        return key.Length > 0;
    }

    private AuthenticateResult Success(string keyId, string name, string role, string? tenant)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, keyId), new(ClaimTypes.Name, name) };
        if (tenant is not null)
        {
            claims.Add(new Claim(ApiCaller.TenantClaim, tenant));
        }

        claims.AddRange(OeeRoles.Implied(role).Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private Task WriteProblem(int status, string title, string detail) => ApiProblems.WriteAsync(Context, status, title, detail);

    // A request reached a loopback address from a loopback address; an in-memory test server has no addresses.
    private static bool IsLoopback(ConnectionInfo connection) =>
        (connection.LocalIpAddress is null || IPAddress.IsLoopback(connection.LocalIpAddress))
        && (connection.RemoteIpAddress is null || IPAddress.IsLoopback(connection.RemoteIpAddress));
}
