using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Oee.Api.Security;
using Oee.Tests.Shared;

namespace Oee.Api.Tests.Security;

/// <summary>
/// The real API on Kestrel with two tenants' keys (each a submitter, acme also a reader), an untenanted
/// reader and an untenanted admin, configured as an operator would (hashes only). On memory storage
/// (<see cref="TenantApiFixture"/>) and on PostgreSQL (<see cref="TenantPostgresApiFixture"/>).
/// </summary>
public abstract class TenantApiFixtureBase : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Acme = "acme";

    public const string Globex = "globex";

    public string AcmeKey { get; } = ApiKeyHash.NewKey("acmesubmit");

    public string AcmeReaderKey { get; } = ApiKeyHash.NewKey("acmeread");

    public string GlobexKey { get; } = ApiKeyHash.NewKey("globexsubmit");

    public string ReaderKey { get; } = ApiKeyHash.NewKey("opsreader");

    public string AdminKey { get; } = ApiKeyHash.NewKey("opsadmin");

    public HttpClient AcmeHttp { get; private set; } = null!;

    public HttpClient AcmeReaderHttp { get; private set; } = null!;

    public HttpClient GlobexHttp { get; private set; } = null!;

    public HttpClient ReaderHttp { get; private set; } = null!;

    public HttpClient AdminHttp { get; private set; } = null!;

    public virtual Task InitializeAsync()
    {
        UseKestrel(0);
        StartServer();
        AcmeHttp = With(AcmeKey);
        AcmeReaderHttp = With(AcmeReaderKey);
        GlobexHttp = With(GlobexKey);
        ReaderHttp = With(ReaderKey);
        AdminHttp = With(AdminKey);
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await DisposeStorageAsync();
    }

    protected virtual Task DisposeStorageAsync() => Task.CompletedTask;

    /// <summary>A client that sends <paramref name="key"/> as a bearer token.</summary>
    public HttpClient With(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseOwnLoopbackSilo("tenant-api-tests");
        builder.UseSetting("Oee:Api:Security:RequestsPerSecond", "0");
        AddKey(builder, AcmeKey, OeeRoles.Submitter, Acme);
        AddKey(builder, AcmeReaderKey, OeeRoles.Reader, Acme);
        AddKey(builder, GlobexKey, OeeRoles.Submitter, Globex);
        AddKey(builder, ReaderKey, OeeRoles.Reader, tenant: null);
        AddKey(builder, AdminKey, OeeRoles.Admin, tenant: null);
    }

    private static void AddKey(IWebHostBuilder builder, string key, string role, string? tenant)
    {
        var id = ApiKeyHash.KeyIdOf(key)!;
        builder.UseSetting($"Oee:Api:Security:Keys:{id}:Hash", ApiKeyHash.Hash(key));
        builder.UseSetting($"Oee:Api:Security:Keys:{id}:Role", role);
        if (tenant is not null)
        {
            builder.UseSetting($"Oee:Api:Security:Keys:{id}:Tenant", tenant);
        }
    }
}

public sealed class TenantApiFixture : TenantApiFixtureBase;

public sealed class TenantPostgresApiFixture : TenantApiFixtureBase
{
    private readonly TestDatabase database = new();

    public override async Task InitializeAsync()
    {
        await database.CreateAsync();
        await base.InitializeAsync();
    }

    protected override async Task DisposeStorageAsync() => await database.DisposeAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Oee:PostgreSql:ConnectionString", database.ConnectionString);
    }
}

[CollectionDefinition(Name)]
public sealed class TenantApiCollection : ICollectionFixture<TenantApiFixture>
{
    public const string Name = "tenant-api";
}

[CollectionDefinition(Name)]
public sealed class TenantPostgresApiCollection : ICollectionFixture<TenantPostgresApiFixture>
{
    public const string Name = "tenant-postgres-api";
}
