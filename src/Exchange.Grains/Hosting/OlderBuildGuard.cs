using Exchange.Grains.Placement;
using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Exchange.Grains.Hosting;

/// <summary>
/// Stops a silo of an older build from starting against a database a newer build has used: a rollback, or an old image
/// started by mistake after an upgrade. Running, it would activate grains the newer build wrote and lose what that build
/// added to them. During a rolling upgrade the older silos are already running, and the placement filter keeps new
/// activations off them.
/// </summary>
internal sealed class OlderBuildGuard(NpgsqlDataSource dataSource, IClusterManifestProvider manifests, IOptions<ExchangeOptions> options,
    ILogger<OlderBuildGuard> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        // Right after the schema migration (stage First), before the silo joins the cluster or reads any grain.
        lifecycle.Subscribe(nameof(OlderBuildGuard), ServiceLifecycleStage.First + 1, async cancellationToken =>
        {
            var thisBuild = SiloVersions.Sum(manifests.LocalGrainManifest);
            var newest = await BuildHistory.RecordAsync(dataSource, thisBuild, cancellationToken);
            if (newest is not { } newer || newer <= thisBuild)
            {
                return;
            }

            var problem = $"A newer build (grain interface versions adding up to {newer}) has run against this database; this silo's build " +
                          $"adds up to {thisBuild}. It would drop what the newer build added to the grains it activates.";
            if (!options.Value.AllowOlderBuild)
            {
                throw new InvalidOperationException(problem + " Start the newer build, or set Exchange:AllowOlderBuild=true to roll back knowingly.");
            }

            logger.LogWarning("{Problem} Starting anyway because Exchange:AllowOlderBuild is set.", problem);
        });
}
