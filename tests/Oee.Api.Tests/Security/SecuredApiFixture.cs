using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Oee.Api.Security;

namespace Oee.Api.Tests.Security;

/// <summary>
/// The real API on Kestrel with API keys configured (only their hashes, as an operator would): one
/// key per role, two submitters, and one key limited to 1 request per second with a burst of 5.
/// </summary>
public sealed class SecuredApiFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const int MaxBodyBytes = 64 * 1024;

    public string ReaderKey { get; } = ApiKeyHash.NewKey("reader1");

    public string SubmitterKey { get; } = ApiKeyHash.NewKey("submitter1");

    public string OtherSubmitterKey { get; } = ApiKeyHash.NewKey("submitter2");

    public string AdminKey { get; } = ApiKeyHash.NewKey("admin1");

    public string LimitedKey { get; } = ApiKeyHash.NewKey("limited1");

    public HttpClient Anonymous { get; private set; } = null!;

    public Task InitializeAsync()
    {
        UseKestrel(0);
        StartServer();
        Anonymous = CreateClient();
        return Task.CompletedTask;
    }

    /// <summary>A client that sends <paramref name="key"/> as a bearer token (or in X-Api-Key).</summary>
    public HttpClient With(string key, bool inHeader = false)
    {
        var client = CreateClient();
        if (inHeader)
        {
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.KeyHeader, key);
        }
        else
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseOwnLoopbackSilo("secured-api-tests");
        builder.UseSetting("Oee:Api:Security:Burst", "5");
        builder.UseSetting("Oee:Api:Security:RequestsPerSecond", "0");
        builder.UseSetting("Oee:Api:Security:MaxRequestBodyBytes", MaxBodyBytes.ToString(CultureInfo.InvariantCulture));
        AddKey(builder, ReaderKey, OeeRoles.Reader);
        AddKey(builder, SubmitterKey, OeeRoles.Submitter);
        AddKey(builder, OtherSubmitterKey, OeeRoles.Submitter);
        AddKey(builder, AdminKey, OeeRoles.Admin);
        AddKey(builder, LimitedKey, OeeRoles.Reader);
        builder.UseSetting($"Oee:Api:Security:Keys:{ApiKeyHash.KeyIdOf(LimitedKey)}:RequestsPerSecond", "1");
    }

    private static void AddKey(IWebHostBuilder builder, string key, string role)
    {
        var id = ApiKeyHash.KeyIdOf(key)!;
        builder.UseSetting($"Oee:Api:Security:Keys:{id}:Hash", ApiKeyHash.Hash(key));
        builder.UseSetting($"Oee:Api:Security:Keys:{id}:Role", role);
    }
}

[CollectionDefinition(Name)]
public sealed class SecuredApiCollection : ICollectionFixture<SecuredApiFixture>
{
    public const string Name = "secured-api";
}
