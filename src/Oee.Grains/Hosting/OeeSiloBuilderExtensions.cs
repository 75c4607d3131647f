using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Oee.Grains.Client;
using Oee.Grains.Cluster;
using Oee.Grains.Cluster.DirectoryCache;
using Oee.Grains.Cluster.Placement;
using Oee.Grains.Configuration;
using Oee.Grains.Handlers;
using Oee.Grains.Handlers.BuiltIn;
using Oee.Grains.Models;
using Oee.Grains.Queues;
using Oee.Grains.Schedules;
using Oee.Grains.Storage;
using Oee.Grains.Storage.Memory;
using Oee.Grains.Storage.Postgres;
using Oee.Grains.Tasks;
using Oee.Grains.Time;
using Oee.Grains.Workers;
using Orleans.Configuration;
using Orleans.Storage;

namespace Oee.Grains.Hosting;

/// <summary>The whole silo set-up of OEE, shared by Oee.Silo, the API's embedded mode and the tests.</summary>
public static class OeeSiloBuilderExtensions
{
    // What a deactivation and a host's stop may take beyond a task's drain: persisting the hand-back,
    // and (for the host) stopping Orleans after the last activation.
    private static readonly TimeSpan DeactivationMargin = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(20);

    /// <summary>The ADO.NET invariant name of Npgsql.</summary>
    internal const string NpgsqlInvariant = "Npgsql";

    /// <summary>At most this many grain addresses in Orleans' directory cache (see where it is set).</summary>
    internal const int DirectoryCacheSize = 10_000;

    /// <summary>
    /// Configures clustering (per <c>Oee:Cluster</c>), storage (memory, or PostgreSQL when
    /// <c>Oee:PostgreSql:ConnectionString</c> is set), placement, the built-in handlers, the
    /// engine's services and OEE's default log levels; options are validated at start. Safe to call twice.
    /// </summary>
    public static ISiloBuilder AddOee(this ISiloBuilder silo, IConfiguration configuration)
    {
        if (silo.Services.Any(d => d.ServiceType == typeof(OeeSiloMarker)))
        {
            return silo;
        }

        silo.Services.AddSingleton<OeeSiloMarker>();
        silo.Services.AddOeeSharedCopiers();
        OeeLogDefaults.Add(silo.Services);
        var cluster = OeeClusterOptions.Read(configuration);
        var postgres = OeePostgresOptions.Read(configuration);

        // One pool per silo, shared by every PostgreSQL user (disposed with the silo's services).
        var dataSource = postgres.Enabled ? postgres.CreateDataSource() : null;
        ConfigureClustering(silo, cluster, dataSource);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new LocalhostPrimaryNotice(cluster, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<LocalhostPrimaryNotice>>()));
        ClusterTls.Apply(silo, configuration);
        if (dataSource is not null)
        {
            ConfigurePostgres(silo, postgres, dataSource);
        }
        else
        {
            silo.AddMemoryGrainStorage(OeeStorage.Name, (OptionsBuilder<MemoryGrainStorageOptions> builder) =>
                builder.Configure<Orleans.Serialization.Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
            silo.UseInMemoryReminderService();
            silo.Services.TryAddSingleton<MemoryTaskStore>();
            silo.Services.TryAddSingleton<ITaskIndex>(sp => sp.GetRequiredService<MemoryTaskStore>());
            silo.Services.TryAddSingleton<ITaskStore>(sp => sp.GetRequiredService<MemoryTaskStore>());
            silo.Services.TryAddSingleton<IQueueStore, MemoryQueueStore>();
        }

        if (cluster.GrainDirectory == OeeGrainDirectory.Distributed)
        {
            // A graceful stop of one silo hands its directory ranges over instead of deactivating
            // the activations elsewhere that it had registered (measured: README, failure section).
#pragma warning disable ORLEANSEXP003 // Experimental in Orleans 10: chosen deliberately, see above.
            silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        }

        silo.AddPlacementDirector<SiloTargetedPlacement, SiloTargetedPlacementDirector>();
        silo.AddPlacementDirector<SlotWeightedPlacement, SlotWeightedPlacementDirector>();
        silo.Services.AddSingleton<Orleans.Runtime.Placement.IPlacementStrategyResolver, TaskPlacementResolver>();
        if (!cluster.OrleansPlacementPipeline)
        {
            // Every new task is a placement: OEE's pipeline keeps Orleans' timeout and retries without a timer each.
            silo.Services.AddOeePlacementGuard();
        }

        if (!cluster.CacheTaskAddresses)
        {
            // A task grain's address was inserted twice per submit and seldom read again: Orleans' directory cache keeps every other.
            silo.Services.AddOeeDirectoryCache();
        }

        // Traces cross grain calls (a submit over REST and its body on another silo are one trace).
        // Only when traces are exported: its filters see every grain call, and without an exporter
        // no trace leaves the process (a host with its own tracer calls AddActivityPropagation itself).
        if (OeeTelemetryOptions.Read(configuration).TracesExported(configuration))
        {
            silo.AddActivityPropagation();
        }
        Errors.FaultTranslationExtensions.AddOeeFaultTranslation(silo, storageCanFail: dataSource is not null);

        var services = silo.Services;
        services.AddValidatedOptions<OeeOptions, OeeOptionsValidator>(configuration, OeeOptions.SectionName);
        services.AddValidatedOptions<OeeRetentionOptions, OeeRetentionOptionsValidator>(configuration, OeeRetentionOptions.SectionName);
        services.AddValidatedOptions<OeeQueueOptions, OeeQueueOptionsValidator>(configuration, OeeQueueOptions.SectionName);
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, WakeOnStart>();
        services.AddSingleton<IWakeOnStart, RetentionSweepOnStart>();
        services.AddSingleton<IWakeOnStart, DependencySweepOnStart>();
        services.AddValidatedOptions<OeeScheduleOptions, OeeScheduleOptionsValidator>(configuration, OeeScheduleOptions.SectionName);
        services.AddSingleton<IWakeOnStart, SchedulesOnStart>();
        services.AddValidatedOptions<OeeWarmUpOptions, OeeWarmUpOptionsValidator>(configuration, OeeWarmUpOptions.SectionName);
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, WarmUp.StartupWarmUp>();
        // Deactivating a task with a running body drains it first (OeeOptions.DrainTimeout), and a
        // stopping host waits for those drains: both timeouts follow the drain time.
        services.AddOptions<GrainCollectionOptions>().Configure<IOptions<OeeOptions>>((o, oee) => o.DeactivationTimeout = oee.Value.DrainTimeout + oee.Value.DrainCancelGrace + DeactivationMargin);
        services.AddOptions<HostOptions>().Configure<IOptions<OeeOptions>>((o, oee) => o.ShutdownTimeout = oee.Value.DrainTimeout + oee.Value.DrainCancelGrace + ShutdownMargin);
        services.Configure<GrainDirectoryOptions>(o =>
        {
            // Every task is a new grain that lives briefly, and (with Oee:Cluster:CacheTaskAddresses) placing it
            // caches its address: a million finished tasks' addresses (Orleans' default cache size) cost hundreds
            // of MiB and save nothing, and even 100,000 made every new task's look-up and insert reach for memory
            // no core had cached (10,000: in-process drain 2-4 % less CPU per task in alternating pairs). The
            // addresses worth caching, of queues, index shards, schedules and system grains, fit many times over.
            o.CacheSize = Math.Min(o.CacheSize, DirectoryCacheSize);
        });
        services.TryAddKeyedSingleton(OeeClock.ServiceKey, TimeProvider.System);
        services.TryAddSingleton<WorkerSlots>();
        WorkerSlotsAnnouncement.Add(silo, configuration);
        services.TryAddSingleton<DispatchBudget>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Telemetry.SiloGaugeRegistration>();
        services.TryAddSingleton<LocalAttempts>();
        services.TryAddSingleton<QueueReferences>();
        services.TryAddSingleton<QueueLeaves>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, DetachedAttemptDrain>();
        services.TryAddSingleton<AttemptWhereabouts>();
        services.TryAddSingleton<SiloStopping>();
        services.TryAddSingleton<Tasks.WaitingTaskHolds>();
        services.TryAddSingleton<Tasks.TaskGrainServices>();
        services.TryAddSingleton<TaskHandlerRegistry>();
        services.TryAddSingleton(sp =>
        {
            var oee = sp.GetRequiredService<IOptions<OeeOptions>>().Value;
            return new SubmitPolicy(oee.MaxInputBytes, oee.DefaultMaxAttempts, sp.GetRequiredService<TaskHandlerRegistry>(), sp.GetRequiredService<Webhooks.WebhookTargets>());
        });
        services.AddTaskHandler<EchoHandler>(EchoHandler.Name);
        services.AddTaskHandler<DelayHandler>(DelayHandler.Name);
        services.AddTaskHandler<FailHandler>(FailHandler.Name);
        services.AddOeeModels(configuration);
        Events.EventServices.AddOeeEventsOnSilo(services, configuration);
        Pipelines.PipelineServiceCollectionExtensions.AddOeePipelines(services, configuration);
        services.AddOeeOrchestrator();
        return silo;
    }

    private static void ConfigureClustering(ISiloBuilder silo, OeeClusterOptions cluster, Npgsql.NpgsqlDataSource? dataSource)
    {
        switch (cluster.Mode)
        {
            case OeeClusterMode.Localhost:
                silo.UseLocalhostClustering(
                    cluster.SiloPort,
                    cluster.GatewayPort,
                    new IPEndPoint(IPAddress.Loopback, cluster.PrimarySiloPort),
                    cluster.ServiceId,
                    cluster.ClusterId);
                break;
            case OeeClusterMode.PostgreSql:
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                });
                silo.ConfigureEndpoints(ResolveAddress(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: cluster.AdvertisedAddress != "127.0.0.1");
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = NpgsqlInvariant;
                    o.DataSource = dataSource;
                });
                break;
        }

        if (cluster.Mode != OeeClusterMode.External)
        {
            silo.Configure<SiloOptions>(o => o.SiloName = cluster.SiloName ?? "silo-" + cluster.SiloPort.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void ConfigurePostgres(ISiloBuilder silo, OeePostgresOptions postgres, Npgsql.NpgsqlDataSource dataSource)
    {
        silo.Services.AddSingleton(_ => dataSource);
        silo.Services.AddOptions<OeePostgresOptions>().Configure(o =>
        {
            o.ConnectionString = postgres.ConnectionString;
            o.MigrateOnStart = postgres.MigrateOnStart;
        });
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PostgresMigrationOnStart>();
        silo.Services.AddSingleton<IWakeOnStart, Queues.QueuesOnStart>();
        silo.AddAdoNetGrainStorage(OeeStorage.Name, (OptionsBuilder<AdoNetGrainStorageOptions> builder) => builder.Configure<Orleans.Serialization.Serializer>((o, serializer) =>
        {
            o.Invariant = NpgsqlInvariant;
            o.DataSource = dataSource;

            // Orleans' own binary format, keyed by the contracts' stable [Alias] names: renaming or
            // moving a C# type never breaks reading old rows (the JSON default stores CLR type names).
            // Memory storage uses it too: it is also several times cheaper than the JSON default.
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = NpgsqlInvariant;
            o.DataSource = dataSource;
        });
        silo.Services.TryAddSingleton<PostgresDatabase>();
        silo.Services.TryAddSingleton<PostgresTaskIndex>();
        silo.Services.TryAddSingleton<ITaskIndex>(sp => sp.GetRequiredService<PostgresTaskIndex>());
        silo.Services.TryAddSingleton<TaskRecordReader>();
        silo.Services.TryAddSingleton<TaskRecordWriter>();
        silo.Services.TryAddSingleton<ITaskStore, PostgresTaskStore>();
        silo.Services.TryAddSingleton<IQueueStore, PostgresQueueStore>();
    }

    /// <summary>The advertised address as an IPv4 address: as written, or the first IPv4 address its name resolves to; else an error naming the setting.</summary>
    internal static IPAddress ResolveAddress(string address)
    {
        if (IPAddress.TryParse(address, out var parsed))
        {
            return parsed;
        }

        IPAddress[] resolved;
        try
        {
            resolved = Dns.GetHostAddresses(address);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw new InvalidOperationException($"Oee:Cluster:AdvertisedAddress '{address}' does not resolve ({ex.Message}): give an IPv4 address or a host name this machine resolves.", ex);
        }

        return resolved.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            ?? throw new InvalidOperationException($"Oee:Cluster:AdvertisedAddress '{address}' resolves to no IPv4 address ({string.Join(", ", resolved.Select(a => a.ToString()))}): give an IPv4 address or a name with one.");
    }

    private sealed class OeeSiloMarker;
}
