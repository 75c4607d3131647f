using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Orleans.Runtime;

namespace Oee.Grains.Storage.Postgres;

/// <summary>Brings the schema up to date at the very start of a silo, before clustering and storage touch the database.</summary>
internal sealed class PostgresMigrationOnStart(IOptions<OeePostgresOptions> options, ILogger<PostgresMigrationOnStart> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresMigrationOnStart), ServiceLifecycleStage.First, async cancellationToken =>
        {
            if (options.Value.MigrateOnStart)
            {
                await PostgresMigrator.MigrateAsync(options.Value.ConnectionString!, logger, cancellationToken);
            }
        });
}
