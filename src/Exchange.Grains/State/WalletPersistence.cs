using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace Exchange.Grains.State;

/// <summary>
/// How one wallet is kept: balances and open orders are rewritten on every write, while closed orders and remembered
/// client order ids (most of a busy wallet's state, and unchanged once there) are items of their own, written once
/// when they appear and deleted when they go.
/// </summary>
public sealed class WalletPersistence(IVersionedStateStore store, Serializer serializer, string accountId, IPersistentState<WalletState> legacyRow, ILogger logger)
    : VersionedGrainState<WalletState>(store, serializer, "wallet", accountId, legacyRow, logger)
{
    private readonly StoredItemSet<WalletOrderState> _closedOrders = new("closed:");
    private readonly StoredItemSet<RememberedClientOrder> _clientOrders = new("client:");

    protected override void Load(WalletState state, StateItem item)
    {
        if (_closedOrders.Holds(item))
        {
            var order = Deserialize<WalletOrderState>(item.Payload);
            _closedOrders.Loaded(item, order);
            state.ClosedOrders.Add(order);
        }
        else if (_clientOrders.Holds(item))
        {
            var remembered = Deserialize<RememberedClientOrder>(item.Payload);
            state.ClientOrders[_clientOrders.Loaded(item, remembered)] = remembered;
        }
    }

    protected override void Compare(WalletState state, List<StateItem> upserts, List<string> removals)
    {
        _closedOrders.Compare(state.ClosedOrders.Select(order => (order.OrderId, order.ClosedPosition, order)), Serializer, upserts, removals);
        _clientOrders.Compare(state.ClientOrders.Select(pair => (pair.Key, 0L, pair.Value)), Serializer, upserts, removals);
    }

    protected override void Written()
    {
        _closedOrders.Written();
        _clientOrders.Written();
    }

    protected override byte[] SerializeWithoutItems(WalletState state)
    {
        var (closedOrders, clientOrders) = (state.ClosedOrders, state.ClientOrders);
        (state.ClosedOrders, state.ClientOrders) = ([], []);
        try
        {
            return Serializer.SerializeToArray(state);
        }
        finally
        {
            (state.ClosedOrders, state.ClientOrders) = (closedOrders, clientOrders);
        }
    }
}
