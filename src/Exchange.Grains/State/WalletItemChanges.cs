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

    /// <summary>
    /// Orders added or changed, open or closed (the order), or no longer held: rejected or dropped from the closed
    /// list (null). The last change of an id counts.
    /// </summary>
    public Dictionary<string, WalletOrderState?> Orders { get; private set; } = new(StringComparer.Ordinal);

    public HashSet<string> ClientOrders { get; private set; } = new(StringComparer.Ordinal);

    public HashSet<string> ProcessedTransfers { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Celebrities whose holding or last applied book event may have changed.</summary>
    public HashSet<string> Positions { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Hands over what changed so far to a write and starts recording afresh.</summary>
    public WalletItemChanges Take()
    {
        var taken = new WalletItemChanges
        {
            Everything = Everything,
            Orders = Orders,
            ClientOrders = ClientOrders,
            ProcessedTransfers = ProcessedTransfers,
            Positions = Positions,
        };
        Everything = false;
        Orders = new(StringComparer.Ordinal);
        ClientOrders = new(StringComparer.Ordinal);
        ProcessedTransfers = new(StringComparer.Ordinal);
        Positions = new(StringComparer.Ordinal);
        return taken;
    }

    /// <summary>The write that took <paramref name="taken"/> failed: its changes are still to be written.</summary>
    public void PutBack(WalletItemChanges taken)
    {
        Everything |= taken.Everything;
        ClientOrders.UnionWith(taken.ClientOrders);
        ProcessedTransfers.UnionWith(taken.ProcessedTransfers);
        Positions.UnionWith(taken.Positions);
        foreach (var (orderId, order) in taken.Orders)
        {
            // A change recorded since the write began is the later one.
            Orders.TryAdd(orderId, order);
        }
    }
}
