using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Exchange.Grains.Hosting;

/// <summary>Migrates the database as the silo's very first start-up step, before any provider reads its queries.</summary>
internal sealed class SchemaMigrationParticipant(NpgsqlDataSource dataSource, ILogger<SchemaMigrationParticipant> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaMigrationParticipant), ServiceLifecycleStage.First, async cancellationToken =>
        {
            var applied = await SchemaMigrator.MigrateAsync(dataSource, cancellationToken);
            if (applied.Count > 0)
            {
                logger.LogInformation("Applied database migrations {Versions}", string.Join(", ", applied));
            }
        });
}
