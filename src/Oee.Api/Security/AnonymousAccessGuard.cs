using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Oee.Api.Security;

/// <summary>
/// At start, with no API keys configured: says so, and refuses to run (the host stops with an error
/// naming the setting) when the API listens on any address that is not loopback, unless
/// <see cref="OeeApiSecurityOptions.AllowAnonymousOnNetwork"/>. The authentication handler also turns
/// away every keyless request that did not arrive on loopback, so nothing is served in between.
/// </summary>
internal sealed partial class AnonymousAccessGuard(
    IServer server,
    IOptions<OeeApiSecurityOptions> security,
    ILogger<AnonymousAccessGuard> logger) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var options = security.Value;
        if (options.RequiresKeys)
        {
            LogKeys(logger, options.Keys.Count);
            return Task.CompletedTask;
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var open = addresses.Where(a => !IsLoopback(a)).ToList();
        if (open.Count == 0)
        {
            LogNoKeysLoopback(logger);
            return Task.CompletedTask;
        }

        if (options.AllowAnonymousOnNetwork)
        {
            LogNoKeysOpen(logger, string.Join(", ", open));
            return Task.CompletedTask;
        }

        throw new InvalidOperationException(
            $"The API listens on {string.Join(", ", open)} with no API keys configured: anyone who reaches it could run tasks. " +
            $"Configure keys under {OeeApiSecurityOptions.SectionName}:Keys (see 'Oee.Api new-key'), listen on 127.0.0.1 only, " +
            $"or set {OeeApiSecurityOptions.SectionName}:AllowAnonymousOnNetwork=true on a closed network.");
    }

    /// <summary>True for a loopback IP or <c>localhost</c>; false for <c>*</c>, <c>+</c>, 0.0.0.0, [::] and any other host.</summary>
    internal static bool IsLoopback(string address)
    {
        if (!Uri.TryCreate(address.Replace("://*", "://wildcard.invalid").Replace("://+", "://wildcard.invalid"), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "REST API access: {Count} API key(s) configured; every request needs one")]
    private static partial void LogKeys(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "REST API access: no API keys configured. The API answers requests on loopback only, each as admin. Configure Oee:Api:Security:Keys before exposing it")]
    private static partial void LogNoKeysLoopback(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "REST API access: no API keys configured and Oee:Api:Security:AllowAnonymousOnNetwork=true: anyone who reaches {Addresses} is admin")]
    private static partial void LogNoKeysOpen(ILogger logger, string addresses);
}
