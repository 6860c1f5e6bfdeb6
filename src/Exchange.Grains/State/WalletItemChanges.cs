namespace Exchange.Grains.State;

/// <summary>
/// Which items of a wallet (see <see cref="WalletPersistence"/>) changed since its last successful write, recorded
/// where <see cref="WalletState"/> changes them, so a write costs what changed rather than everything the wallet
/// holds: a busy trader holds thousands of open orders and client order ids. Until a write succeeds (a fresh
/// activation, a failed write) <see cref="Everything"/> makes the next write compare every item instead.
/// </summary>
public sealed class WalletItemChanges
{
    public bool Everything { get; private set; } = true;

    /// <summary>Ids of open orders added, changed or removed.</summary>
    public HashSet<string> OpenOrders { get; private set; } = new(StringComparer.Ordinal);

    public HashSet<string> ClientOrders { get; private set; } = new(StringComparer.Ordinal);

    public HashSet<string> ProcessedTransfers { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Closed orders added (the order) or dropped from the list (null); the last change of an id counts.</summary>
    public Dictionary<string, WalletOrderState?> ClosedOrders { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Hands over what changed so far to a write and starts recording afresh.</summary>
    public WalletItemChanges Take()
    {
        var taken = new WalletItemChanges
        {
            Everything = Everything,
            OpenOrders = OpenOrders,
            ClientOrders = ClientOrders,
            ProcessedTransfers = ProcessedTransfers,
            ClosedOrders = ClosedOrders,
        };
        Everything = false;
        OpenOrders = new(StringComparer.Ordinal);
        ClientOrders = new(StringComparer.Ordinal);
        ProcessedTransfers = new(StringComparer.Ordinal);
        ClosedOrders = new(StringComparer.Ordinal);
        return taken;
    }

    /// <summary>The write that took <paramref name="taken"/> failed: its changes are still to be written.</summary>
    public void PutBack(WalletItemChanges taken)
    {
        Everything |= taken.Everything;
        OpenOrders.UnionWith(taken.OpenOrders);
        ClientOrders.UnionWith(taken.ClientOrders);
        ProcessedTransfers.UnionWith(taken.ProcessedTransfers);
        foreach (var (orderId, order) in taken.ClosedOrders)
        {
            // A change recorded since the write began is the later one.
            ClosedOrders.TryAdd(orderId, order);
        }
    }
}
