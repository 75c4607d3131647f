using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Oee.Tests.Shared;

namespace Oee.Api.Tests;

/// <summary>The real API on Kestrel in durable mode: its embedded silo keeps everything in a fresh PostgreSQL database.</summary>
public sealed class PostgresApiFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly TestDatabase database = new();

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await database.CreateAsync();
        UseKestrel(0);
        StartServer();
        Http = CreateClient();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await database.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseOwnLoopbackSilo("postgres-api-tests");
        builder.UseSetting("Oee:PostgreSql:ConnectionString", database.ConnectionString);
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresApiCollection : ICollectionFixture<PostgresApiFixture>
{
    public const string Name = "postgres api";
}
