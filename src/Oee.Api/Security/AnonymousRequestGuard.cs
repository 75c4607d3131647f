using System.Net;
using Oee.Api.Errors;

namespace Oee.Api.Security;

/// <summary>
/// Without API keys every request the API answers acts as admin, so a web page in the browser of someone on that machine
/// must not be able to act through it, nor anyone a proxy on that machine forwards. Three checks, before anything else runs:
/// <list type="bullet">
/// <item>a request from another origin (an <c>Origin</c> header naming anything but the address the request was sent to)
/// is refused: a page elsewhere could otherwise cancel or retry tasks with a plain cross-site POST (no preflight);</item>
/// <item>on loopback (the default, not <see cref="OeeApiSecurityOptions.AllowAnonymousOnNetwork"/>) the request must be
/// addressed to <c>localhost</c> or a loopback address (its <c>Host</c>): a page on a domain its owner re-points at
/// 127.0.0.1 (DNS rebinding) would otherwise be the same origin as the API;</item>
/// <item>on loopback, a request that carries a proxy's forwarding header (<see cref="ForwardingHeaders"/>) is refused:
/// behind a reverse proxy on the same machine every client the proxy forwards, from anywhere, would reach the API from
/// a loopback address and be its admin. Such a setup needs API keys. (A proxy that adds none of these headers cannot be
/// told from a local caller: hence the README's rule, keys behind any proxy.)</item>
/// </list>
/// Answers 403 as problem+json. With keys configured none applies (a browser never sends an API key by itself).
/// </summary>
internal static class AnonymousRequestGuard
{
    public static async Task Check(HttpContext context, RequestDelegate next, bool loopbackOnly)
    {
        var request = context.Request;
        if (loopbackOnly && ForwardingHeader(request.Headers) is { } forwarding)
        {
            await Refuse(context, $"This API has no keys configured and answers loopback callers as admin; this request came through a proxy (it carries '{forwarding}'), which would make every client the proxy forwards an admin. Configure API keys ({OeeApiSecurityOptions.SectionName}:Keys, made with 'Oee.Api new-key') to serve the API behind a proxy.");
            return;
        }

        if (loopbackOnly && !IsLoopbackHost(request.Host.Host))
        {
            await Refuse(context, $"This API has no keys configured and answers only requests addressed to localhost or a loopback address; this one was addressed to '{request.Host.Host}'.");
            return;
        }

        if (request.Headers.Origin is { Count: > 0 } origin && !IsSameOrigin(origin.ToString(), request))
        {
            await Refuse(context, $"This API has no keys configured and answers no request from another origin ('{origin}'): a web page elsewhere cannot act through it.");
            return;
        }

        await next(context);
    }

    /// <summary>The headers reverse proxies add to say whom they forward a request for (RFC 7239 and the de facto ones).</summary>
    internal static readonly string[] ForwardingHeaders = ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Real-IP", "Via"];

    /// <summary>The first of <see cref="ForwardingHeaders"/> the request carries, or null.</summary>
    internal static string? ForwardingHeader(IHeaderDictionary headers) =>
        ForwardingHeaders.FirstOrDefault(headers.ContainsKey);

    /// <summary>True for <c>localhost</c> (and its subdomains, which resolve to loopback) and loopback addresses.</summary>
    internal static bool IsLoopbackHost(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>True when <paramref name="origin"/> is the scheme, host and port the request was sent to.</summary>
    internal static bool IsSameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme.Equals(request.Scheme, StringComparison.OrdinalIgnoreCase)
        && uri.Host.Equals(request.Host.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
        && uri.Port == (request.Host.Port ?? (request.IsHttps ? 443 : 80));

    private static Task Refuse(HttpContext context, string detail) =>
        ApiProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", detail);
}
