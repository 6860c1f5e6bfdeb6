using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Exchange.Cluster.Tests;

/// <summary>
/// A rolling upgrade: a silo of the previous build and one of the new build in one cluster. State written by the new
/// build must never be activated on the old one, which would drop the fields it does not know and write it back.
/// </summary>
public class RollingUpgradeTests
{
    [Fact]
    public async Task Once_a_newer_build_has_joined_grains_activate_only_on_it_and_move_off_the_older_one()
    {
        await using var exchange = await ExchangeCluster.StartAsync(silos: 1, assumeHomogeneousSilos: false,
            settings: new Dictionary<string, string> { [PreviousBuildInterfaces.SilosSetting] = "Primary" });
        var older = exchange.Cluster.Primary ?? throw new InvalidOperationException("no primary silo");
        var olderGrains = ExchangeCluster.GrainsOf(older);
        var before = olderGrains.GetGrain<IWalletGrain>("upgrade-before");
        Assert.True((await before.Deposit("before-1", 12_345)).Succeeded);
        Assert.Equal(older.SiloAddress, await SiloHostingAsync(exchange, before.GetGrainId()));

        var newer = await exchange.Cluster.StartAdditionalSiloAsync();
        await KnowEachOtherAsync(older, newer);

        // Calls from the older build (as its API would make them) and activations through an interface Orleans does not
        // version, asked to move onto the older silo: all land on the newer one. Left to random placement, eight of
        // each would all avoid a silo of two by chance once in 65,536 runs.
        var activated = new List<GrainId>();
        for (var i = 0; i < 8; i++)
        {
            var wallet = olderGrains.GetGrain<IWalletGrain>($"upgrade-new-{i}");
            Assert.True((await wallet.Deposit($"new-{i}", 100)).Succeeded);
            activated.Add(wallet.GetGrainId());

            var moved = olderGrains.GetGrain<IWalletGrain>($"upgrade-moved-{i}");
            await olderGrains.GetGrain<IMigratableGrain>(moved.GetGrainId()).MoveTo(older.SiloAddress);
            Assert.Equal(0, (await moved.GetSnapshot()).CashAvailableFen);
            activated.Add(moved.GetGrainId());
        }

        foreach (var grain in activated)
        {
            Assert.Equal(newer.SiloAddress, await SiloHostingAsync(exchange, grain));
        }

        // The wallet activated before the upgrade moves off the older silo at the newer build's first call, whole.
        var fromNewer = ExchangeCluster.GrainsOf(newer).GetGrain<IWalletGrain>("upgrade-before");
        Assert.Equal(12_345, (await fromNewer.GetSnapshot()).CashAvailableFen);
        Assert.Equal(newer.SiloAddress, await SiloHostingAsync(exchange, before.GetGrainId()));
    }

    private static async Task KnowEachOtherAsync(params SiloHandle[] silos)
    {
        foreach (var silo in silos)
        {
            var manifests = ExchangeCluster.ServicesOf(silo).GetRequiredService<IClusterManifestProvider>();
            await Eventually.ValueAsync(() => Task.FromResult(manifests.Current.Silos.Count), count => count == silos.Length);
        }
    }

    private static async Task<SiloAddress?> SiloHostingAsync(ExchangeCluster exchange, GrainId grain)
    {
        var activations = await exchange.Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return activations.SingleOrDefault(activation => activation.GrainId == grain)?.SiloAddress;
    }
}
