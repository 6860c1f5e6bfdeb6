using Exchange.Abstractions.Grains;
using Exchange.Abstractions.Http;
using Exchange.Grains.Placement;
using Orleans.Metadata;
using Orleans.Runtime;

namespace Exchange.Silo.Operations;

/// <summary>
/// The operator's view of the cluster: silos, activations per silo and grain type, and a rebalance that moves the
/// exchange's stateful grains (with their state) from crowded silos to emptier ones of the newest build through Orleans
/// grain migration.
/// </summary>
public sealed class ClusterInspector(IGrainFactory grains, IClusterManifestProvider manifests, ILogger<ClusterInspector> logger)
{
    /// <summary>Grain types that carry state and may move; the singleton commission account and workers stay put.</summary>
    private static readonly HashSet<string> MovableTypes = ["wallet", "orderbook", "celebrity", "scheduler", "marketdata"];

    private IManagementGrain Management => grains.GetGrain<IManagementGrain>(0);

    public async Task<IReadOnlyList<SiloInfo>> SilosAsync()
    {
        var hosts = await Management.GetDetailedHosts(onlyActive: false);
        var builds = SiloVersions.Of(manifests.Current);
        var newest = SiloVersions.Newest(builds, hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress)).ToHashSet();
        return hosts
            .OrderBy(h => h.SiloAddress.ToString())
            .Select(h => new SiloInfo(h.SiloAddress.ToParsableString(), h.SiloName, h.Status.ToString(), h.StartTime, h.IAmAliveTime,
                builds.TryGetValue(h.SiloAddress, out var build) ? build : null, newest.Contains(h.SiloAddress)))
            .ToList();
    }

    public async Task<IReadOnlyList<ActivationCount>> ActivationsAsync()
    {
        var statistics = await Management.GetSimpleGrainStatistics();
        return statistics
            .GroupBy(s => (Silo: s.SiloAddress.ToParsableString(), Type: ShortTypeName(s.GrainType)))
            .Select(g => new ActivationCount(g.Key.Silo, g.Key.Type, g.Sum(s => s.ActivationCount)))
            .OrderBy(a => a.Silo).ThenBy(a => a.GrainType)
            .ToList();
    }

    public async Task<RebalanceResult> RebalanceAsync()
    {
        var silos = (await Management.GetHosts(onlyActive: true)).Keys.ToList();
        var hosted = (await Management.GetDetailedGrainStatistics())
            .Where(s => MovableTypes.Contains(s.GrainId.Type.ToString()!) && silos.Contains(s.SiloAddress))
            .GroupBy(s => s.SiloAddress)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<GrainId>)g.Select(s => s.GrainId).ToList());
        foreach (var silo in silos)
        {
            hosted.TryAdd(silo, []);
        }

        var receivers = SiloVersions.Newest(SiloVersions.Of(await ManifestKnowingAsync(silos)), silos);
        var plan = RebalancePlan<SiloAddress, GrainId>.For(hosted, receivers);

        await Task.WhenAll(plan.Moves.Select(move => grains.GetGrain<IMigratableGrain>(move.Grain).MoveTo(move.Destination)));
        logger.LogInformation("Rebalance asked {Moves} activations to move onto {Receivers} of {Silos} silos (the newest build's)",
            plan.Moves.Count, receivers.Count, silos.Count);
        return new RebalanceResult(plan.Moves.Count, plan.PlannedPerSilo.ToDictionary(p => p.Key.ToParsableString(), p => p.Value));
    }

    /// <summary>
    /// The cluster manifest once it holds every one of <paramref name="silos"/>, or after a few seconds as it is: a silo
    /// that has just joined (the usual reason to rebalance) is not a receiver until this silo knows its build.
    /// </summary>
    private async Task<ClusterManifest> ManifestKnowingAsync(IReadOnlyCollection<SiloAddress> silos)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (silos.Any(silo => !manifests.Current.Silos.ContainsKey(silo)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return manifests.Current;
    }

    private static string ShortTypeName(string grainType)
    {
        var name = grainType.Split(',')[0];
        return name[(name.LastIndexOf('.') + 1)..];
    }
}
