using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Oee.Api.Tests.Security;

/// <summary>
/// A test host's way to send from any client address: a request carrying <see cref="Header"/> has that address as its
/// <c>RemoteIpAddress</c>, set before anything else in the pipeline runs (a startup filter). Without the header the
/// connection's own address stays.
/// </summary>
internal sealed class ClientAddressOverride : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public static void AddTo(IServiceCollection services) => services.AddSingleton<IStartupFilter, ClientAddressOverride>();

    /// <summary>A client whose requests come from <paramref name="address"/>.</summary>
    public static HttpClient From(HttpClient client, string address)
    {
        client.DefaultRequestHeaders.Add(Header, address);
        return client;
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers[Header] is [{ } address])
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(address);
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
