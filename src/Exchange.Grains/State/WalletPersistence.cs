using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace Exchange.Grains.State;

/// <summary>
/// How one wallet is kept: balances, holdings and bookings are rewritten on every write, while orders, remembered
/// client order ids and processed transfer keys (most of a busy wallet's state, and mostly unchanged from one write
/// to the next) are items of their own: written when they appear or change, deleted when they go. An open order is
/// rewritten when one of the fields that change after creation does (<see cref="WalletOrderState.Changeable"/>).
/// </summary>
public sealed class WalletPersistence(IVersionedStateStore store, Serializer serializer, string accountId, IPersistentState<WalletState> legacyRow, ILogger logger)
    : VersionedGrainState<WalletState>(store, serializer, "wallet", accountId, legacyRow, logger)
{
    private readonly StoredItemSet<WalletOrderState, WalletOrderState> _closedOrders = StoredItemSet.OfImmutable<WalletOrderState>("closed:");
    private readonly StoredItemSet<RememberedClientOrder, RememberedClientOrder> _clientOrders = StoredItemSet.OfImmutable<RememberedClientOrder>("client:");
    private readonly StoredItemSet<string, string> _processedTransfers = StoredItemSet.OfImmutable<string>("transfer:");
    private readonly StoredItemSet<WalletOrderState, WalletOrderState.ChangeableFields> _openOrders =
        new("open:", order => order.Changeable, EqualityComparer<WalletOrderState.ChangeableFields>.Default);

    protected override void Load(WalletState state, StateItem item)
    {
        if (_openOrders.Holds(item))
        {
            var order = Deserialize<WalletOrderState>(item.Payload);
            state.OpenOrders[_openOrders.Loaded(item, order)] = order;
        }
        else if (_processedTransfers.Holds(item))
        {
            var key = Deserialize<string>(item.Payload);
            _processedTransfers.Loaded(item, key);
            state.ProcessedTransfers.Add(key);
        }
        else if (_closedOrders.Holds(item))
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
        _openOrders.Compare(state.OpenOrders.Select(pair => (pair.Key, pair.Value.OrderNumber, pair.Value)), Serializer, upserts, removals);
        _processedTransfers.Compare(state.ProcessedTransfers.Select(key => (key, 0L, key)), Serializer, upserts, removals);
    }

    protected override void Written()
    {
        _closedOrders.Written();
        _clientOrders.Written();
        _openOrders.Written();
        _processedTransfers.Written();
    }

    protected override byte[] SerializeWithoutItems(WalletState state)
    {
        var (closedOrders, clientOrders, openOrders, processedTransfers) = (state.ClosedOrders, state.ClientOrders, state.OpenOrders, state.ProcessedTransfers);
        (state.ClosedOrders, state.ClientOrders, state.OpenOrders, state.ProcessedTransfers) = ([], [], [], []);
        try
        {
            return Serializer.SerializeToArray(state);
        }
        finally
        {
            (state.ClosedOrders, state.ClientOrders, state.OpenOrders, state.ProcessedTransfers) = (closedOrders, clientOrders, openOrders, processedTransfers);
        }
    }
}
