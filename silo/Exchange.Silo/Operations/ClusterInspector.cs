using Exchange.Abstractions.Grains;
using Exchange.Abstractions.Http;
using Orleans.Runtime;

namespace Exchange.Silo.Operations;

/// <summary>
/// The operator's view of the cluster: silos, activations per silo and grain type, and a rebalance that moves the
/// exchange's stateful grains (with their state) from crowded silos to emptier ones through Orleans grain migration.
/// </summary>
public sealed class ClusterInspector(IGrainFactory grains, ILogger<ClusterInspector> logger)
{
    /// <summary>Grain types that carry state and may move; the singleton commission account and workers stay put.</summary>
    private static readonly HashSet<string> MovableTypes = ["wallet", "orderbook", "celebrity", "scheduler", "marketdata"];

    private IManagementGrain Management => grains.GetGrain<IManagementGrain>(0);

    public async Task<IReadOnlyList<SiloInfo>> SilosAsync()
    {
        var hosts = await Management.GetDetailedHosts(onlyActive: false);
        return hosts
            .OrderBy(h => h.SiloAddress.ToString())
            .Select(h => new SiloInfo(h.SiloAddress.ToParsableString(), h.SiloName, h.Status.ToString(), h.StartTime, h.IAmAliveTime))
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
        var movable = (await Management.GetDetailedGrainStatistics())
            .Where(s => MovableTypes.Contains(s.GrainId.Type.ToString()!) && silos.Contains(s.SiloAddress))
            .GroupBy(s => s.SiloAddress)
            .ToDictionary(g => g.Key, g => g.Select(s => s.GrainId).ToList());
        foreach (var silo in silos)
        {
            movable.TryAdd(silo, []);
        }

        var total = movable.Values.Sum(list => list.Count);
        var target = (int)Math.Ceiling(total / (double)Math.Max(1, silos.Count));
        var receivers = new Queue<SiloAddress>(silos.Where(s => movable[s].Count < target).OrderBy(s => movable[s].Count));
        var planned = silos.ToDictionary(s => s, s => movable[s].Count);
        var moves = new List<Task>();
        foreach (var (silo, grainIds) in movable.Where(pair => pair.Value.Count > target))
        {
            foreach (var grainId in grainIds.Skip(target))
            {
                while (receivers.Count > 0 && planned[receivers.Peek()] >= target)
                {
                    receivers.Dequeue();
                }

                if (receivers.Count == 0)
                {
                    break;
                }

                var destination = receivers.Peek();
                planned[silo]--;
                planned[destination]++;
                moves.Add(grains.GetGrain<IMigratableGrain>(grainId).MoveTo(destination));
            }
        }

        await Task.WhenAll(moves);
        logger.LogInformation("Rebalance asked {Moves} activations to move across {Silos} silos", moves.Count, silos.Count);
        return new RebalanceResult(moves.Count, planned.ToDictionary(p => p.Key.ToParsableString(), p => p.Value));
    }

    private static string ShortTypeName(string grainType)
    {
        var name = grainType.Split(',')[0];
        return name[(name.LastIndexOf('.') + 1)..];
    }
}
