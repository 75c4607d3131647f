using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Oee.Api.Tests;

/// <summary>
/// The real API on Kestrel (loopback, a free port) with its embedded silo on free ports:
/// requests go over HTTP to the same process a user starts with <c>dotnet run</c>.
/// </summary>
public sealed class ApiFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const int MaxInputBytes = 1024 * 1024;

    public HttpClient Http { get; private set; } = null!;

    public Task InitializeAsync()
    {
        UseKestrel(0);
        StartServer();
        Http = CreateClient();
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseOwnLoopbackSilo("api-tests").UseSetting("Oee:Dashboard:SampleInterval", "00:00:01");
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
