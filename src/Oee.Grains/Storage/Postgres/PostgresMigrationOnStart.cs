using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Orleans.Runtime;

namespace Oee.Grains.Storage.Postgres;

/// <summary>
/// Brings the schema up to date at the very start of a silo, before clustering and storage touch the
/// database. With <c>MigrateOnStart=false</c> it only checks that no newer build migrated the database
/// (a silo of this build must not run on a schema it does not understand, whoever migrates).
/// </summary>
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
            else
            {
                await PostgresMigrationJournal.CheckAsync(options.Value.ConnectionString!, PostgresMigrator.ScriptNames, logger, cancellationToken);
            }
        });
}
