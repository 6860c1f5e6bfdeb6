namespace Exchange.Silo.Operations;

/// <summary>
/// Which activations a rebalance moves where. The receivers (the silos of the newest build) end up with an even share
/// each; every other silo (an older build during a rolling upgrade) hands over all it holds, since state must never
/// move onto an older build.
/// </summary>
public sealed class RebalancePlan<TSilo, TGrain> where TSilo : notnull
{
    private RebalancePlan(IReadOnlyList<(TGrain Grain, TSilo Destination)> moves, IReadOnlyDictionary<TSilo, int> plannedPerSilo)
    {
        Moves = moves;
        PlannedPerSilo = plannedPerSilo;
    }

    public IReadOnlyList<(TGrain Grain, TSilo Destination)> Moves { get; }

    /// <summary>How many movable activations each silo holds once the moves are done.</summary>
    public IReadOnlyDictionary<TSilo, int> PlannedPerSilo { get; }

    public static RebalancePlan<TSilo, TGrain> For(IReadOnlyDictionary<TSilo, IReadOnlyList<TGrain>> hosted, IReadOnlyCollection<TSilo> receivers)
    {
        var planned = hosted.ToDictionary(pair => pair.Key, pair => pair.Value.Count);
        foreach (var receiver in receivers)
        {
            planned.TryAdd(receiver, 0);
        }

        var moves = new List<(TGrain, TSilo)>();
        if (receivers.Count == 0)
        {
            return new RebalancePlan<TSilo, TGrain>(moves, planned);
        }

        var total = planned.Values.Sum();
        var share = (int)Math.Ceiling(total / (double)receivers.Count);
        int Keeps(TSilo silo) => receivers.Contains(silo) ? share : 0;

        var open = new Queue<TSilo>(receivers.Where(silo => planned[silo] < share).OrderBy(silo => planned[silo]));
        foreach (var (silo, grains) in hosted.Where(pair => pair.Value.Count > Keeps(pair.Key)))
        {
            foreach (var grain in grains.Skip(Keeps(silo)))
            {
                while (open.Count > 0 && planned[open.Peek()] >= share)
                {
                    open.Dequeue();
                }

                if (open.Count == 0)
                {
                    break;
                }

                var destination = open.Peek();
                planned[silo]--;
                planned[destination]++;
                moves.Add((grain, destination));
            }
        }

        return new RebalancePlan<TSilo, TGrain>(moves, planned);
    }
}
