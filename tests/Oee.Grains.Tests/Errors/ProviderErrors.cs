using Npgsql;
using Oee.Tests.Shared;

namespace Oee.Grains.Tests.Errors;

/// <summary>Real provider errors, made by really failing: no hand-built exceptions of a provider's types.</summary>
public static class ProviderErrors
{
    /// <summary>The NpgsqlException of a connection refused: a free port on 127.0.0.1 where nothing listens.</summary>
    public static async Task<NpgsqlException> ConnectionRefused()
    {
        var port = LoopbackPorts.Next();
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=oee;Password=oee;Timeout=10;Pooling=false");
        return await Assert.ThrowsAsync<NpgsqlException>(() => connection.OpenAsync());
    }
}
