using Exchange.Abstractions;
using Exchange.Domain.Protection;
using Exchange.Grains.Placement;
using Exchange.Grains.State;
using Exchange.Grains.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Placement;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.Versions.Selector;

namespace Exchange.Grains.Hosting;

public static class ExchangeSiloBuilderExtensions
{
    /// <summary>
    /// Everything an exchange silo needs besides clustering: grain storage, the trade stream, the journal and
    /// directory, and market rules. With a connection string all state lives in PostgreSQL; without one, in memory.
    /// </summary>
    public static ISiloBuilder AddExchange(this ISiloBuilder silo, string? connectionString)
    {
        var services = silo.Services;
        services.AddOptions<ExchangeOptions>().Bind(silo.Configuration.GetSection("Exchange"))
            .Validate(options => TradingCalendar.TryFor(options.TradingDayTimeZone) is not null,
                "Exchange:TradingDayTimeZone is not a time zone this machine knows: use an IANA id such as Asia/Shanghai or UTC.")
            .Validate(options => options.WithdrawalDeskWatchInterval > TimeSpan.Zero, "Exchange:WithdrawalDeskWatchInterval must be positive.")
            .Validate(options => options.AuditInterval == TimeSpan.Zero || options.AuditInterval >= TimeSpan.FromMinutes(1),
                "Exchange:AuditInterval is 0 (no audits of its own) or at least a minute (00:01:00): Orleans reminders tick at most once a minute.")
            .ValidateOnStart();
        services.AddSingleton(provider => TradingCalendar.For(provider.GetRequiredService<IOptions<ExchangeOptions>>().Value.TradingDayTimeZone));
        services.TryAddSingleton(ExchangeClock.System);
        services.AddSingleton<ExchangeAuditor>();
        services.AddSingleton<SettlementBacklog>();
        services.AddSingleton<WithdrawalsWaiting>();
        services.AddHostedService<WithdrawalDeskWatch>();
        services.AddSingleton<ExchangeMetrics>();
        services.AddSingleton<CatalogLoader>();

        // A grain call that fails in PostgreSQL (a refused connection, a missing table) must reach its caller as the
        // database's own error; Orleans only serializes exceptions from namespaces it is told to, and otherwise the
        // caller gets "could not find a codec" instead of what went wrong.
        services.Configure<ExceptionSerializationOptions>(options => options.SupportedNamespacePrefixes.Add("Npgsql"));

        // Rolling upgrades: new activations go to the silos of the newest build only (grain state written by a newer
        // build must never be read back by an older one), and a call from a newer build moves an activation off an
        // older silo (Orleans' default backward compatibility does that for versioned interfaces).
        services.AddPlacementFilter<NewestSilosOnlyStrategy, NewestSilosOnlyDirector>(ServiceLifetime.Singleton);
        services.Configure<GrainVersioningOptions>(options => options.DefaultVersionSelectorStrategy = nameof(LatestVersion));

        if (connectionString is not null)
        {
            connectionString = TunedForGrainStorage(connectionString);
            services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
            services.AddSingleton<ITradeJournal, PostgresTradeJournal>();
            services.AddSingleton<IOrderBookStore>(provider => new PostgresOrderBookStore(provider.GetRequiredService<NpgsqlDataSource>(),
                BatchDataSource.Create(connectionString), provider.GetRequiredService<Serializer<OrderBookState>>(),
                provider.GetRequiredService<ILogger<PostgresOrderBookStore>>()));
            services.AddSingleton<IVersionedStateStore>(provider => new PostgresVersionedStateStore(provider.GetRequiredService<NpgsqlDataSource>(),
                BatchDataSource.Create(connectionString), provider.GetRequiredService<ILogger<PostgresVersionedStateStore>>()));
            services.AddSingleton<IExchangeDirectory, PostgresExchangeDirectory>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaMigrationParticipant>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, OlderBuildGuard>();
            silo.UseAdoNetReminderService(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = connectionString;
            });
            foreach (var name in new[] { StorageNames.Exchange, StorageNames.PubSub })
            {
                silo.AddAdoNetGrainStorage(name, options =>
                {
                    options.Invariant = "Npgsql";
                    options.ConnectionString = connectionString;
                });

                // Orleans' own binary format: compact, and it round-trips the [GenerateSerializer] state types exactly.
                services.AddOptions<AdoNetGrainStorageOptions>(name)
                    .Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
            }
        }
        else
        {
            // One journal, which books fill as they are written and everyone else reads.
            services.AddSingleton<InMemoryTradeJournal>();
            services.AddSingleton<ITradeJournal>(provider => provider.GetRequiredService<InMemoryTradeJournal>());
            services.AddSingleton<IOrderBookStore, InMemoryOrderBookStore>();
            services.AddSingleton<IVersionedStateStore, InMemoryVersionedStateStore>();
            services.AddSingleton<IExchangeDirectory, InMemoryExchangeDirectory>();
            silo.AddMemoryGrainStorage(StorageNames.Exchange);
            silo.AddMemoryGrainStorage(StorageNames.PubSub);
            silo.UseInMemoryReminderService();
        }

        silo.AddMemoryStreams(StreamNames.Provider);
        silo.AddStartupTask<PendingWorkRecovery>();
        silo.AddStartupTask<AuditScheduling>();
        return silo;
    }

    /// <summary>
    /// The grain-storage provider opens a pooled connection and sends the same few statements as text on every call.
    /// Letting Npgsql prepare them spares PostgreSQL parsing and planning each one, and not resetting connections on
    /// return to the pool spares a DISCARD ALL round trip per call (as many as the writes themselves under load).
    /// Values the connection string sets itself win.
    /// </summary>
    public static string TunedForGrainStorage(string connectionString)
    {
        // Npgsql's own builder knows every keyword, so only the plain one can tell what the string actually sets.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Sets(params string[] keywords) => keywords.Any(given.ContainsKey);

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Sets("Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }

        if (!Sets("No Reset On Close", "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
