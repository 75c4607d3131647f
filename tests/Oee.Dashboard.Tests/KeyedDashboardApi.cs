using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Oee.Api.Security;
using Oee.Tests.Shared;

namespace Oee.Dashboard.Tests;

/// <summary>
/// An API of its own for a dashboard test that needs API keys: on a loopback port, with its own silo
/// (<see cref="DashboardFixture.UseOwnSilo"/>), configured with the given keys as an operator would
/// (hashes only). <see cref="Key"/> gives a key's plain text to send or to type into the page.
/// </summary>
internal sealed class KeyedDashboardApi(string name, params (string Id, string Role, string? Tenant)[] keys) : WebApplicationFactory<Program>
{
    private readonly int httpPort = LoopbackPorts.Next();

    private readonly Dictionary<string, string> plainKeys = keys.ToDictionary(k => k.Id, k => ApiKeyHash.NewKey(k.Id), StringComparer.Ordinal);

    public string BaseUrl => $"http://127.0.0.1:{httpPort}";

    public string Key(string id) => plainKeys[id];

    public void Start()
    {
        UseKestrel(httpPort);
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        DashboardFixture.UseOwnSilo(builder, name, BaseUrl);
        foreach (var (id, role, tenant) in keys)
        {
            builder.UseSetting($"Oee:Api:Security:Keys:{id}:Hash", ApiKeyHash.Hash(plainKeys[id]));
            builder.UseSetting($"Oee:Api:Security:Keys:{id}:Role", role);
            if (tenant is not null)
            {
                builder.UseSetting($"Oee:Api:Security:Keys:{id}:Tenant", tenant);
            }
        }
    }
}
