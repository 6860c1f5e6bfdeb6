using Exchange.Grains.Storage;
using Orleans.Serialization;

namespace Exchange.Grains.State;

/// <summary>
/// How one wallet is kept in <see cref="IVersionedStateStore"/>: balances and open orders are rewritten on every
/// write, while closed orders and remembered client order ids (most of a busy wallet's state, and unchanged once
/// there) are items of their own, written once when they appear and deleted when they go. Which items changed is
/// found by comparing with what the last successful write stored, so no code path that changes them can be missed.
/// </summary>
public sealed class WalletPersistence(IVersionedStateStore store, Serializer serializer, string accountId)
{
    private const string Kind = "wallet";
    private const string ClosedOrderItem = "closed:";
    private const string ClientOrderItem = "client:";

    private long _version;

    /// <summary>What storage holds, by object: a closed order never changes, and a remembered client order is a new record if it does.</summary>
    private Dictionary<string, WalletOrderState> _storedClosedOrders = new(StringComparer.Ordinal);
    private Dictionary<string, RememberedClientOrder> _storedClientOrders = new(StringComparer.Ordinal);

    /// <summary>The stored wallet, or null if the store has never seen it.</summary>
    public async Task<WalletState?> ReadAsync(CancellationToken cancellationToken)
    {
        if (await store.ReadAsync(Kind, accountId, cancellationToken) is not { } stored)
        {
            return null;
        }

        _version = stored.Version;
        var state = Deserialize<WalletState>(stored.Payload);
        foreach (var item in stored.Items)
        {
            if (item.Name.StartsWith(ClosedOrderItem, StringComparison.Ordinal))
            {
                var order = Deserialize<WalletOrderState>(item.Payload);
                state.ClosedOrders.Add(order);
                _storedClosedOrders[order.OrderId] = order;
            }
            else if (item.Name.StartsWith(ClientOrderItem, StringComparison.Ordinal))
            {
                var clientOrderId = item.Name[ClientOrderItem.Length..];
                var remembered = Deserialize<RememberedClientOrder>(item.Payload);
                state.ClientOrders[clientOrderId] = remembered;
                _storedClientOrders[clientOrderId] = remembered;
            }
        }

        return state;
    }

    /// <summary>
    /// Takes what to store synchronously (the wallet goes on changing while the write is in flight): the wallet
    /// without its closed orders and client order ids, and the items that differ from what storage holds.
    /// </summary>
    public Task WriteAsync(WalletState state)
    {
        var upserts = new List<StateItem>();
        var removals = new List<string>();

        var closedOrders = new Dictionary<string, WalletOrderState>(state.ClosedOrders.Count, StringComparer.Ordinal);
        foreach (var order in state.ClosedOrders)
        {
            closedOrders[order.OrderId] = order;
            if (!ReferenceEquals(_storedClosedOrders.GetValueOrDefault(order.OrderId), order))
            {
                upserts.Add(new StateItem(ClosedOrderItem + order.OrderId, order.ClosedPosition, serializer.SerializeToArray(order)));
            }
        }

        removals.AddRange(_storedClosedOrders.Keys.Where(orderId => !closedOrders.ContainsKey(orderId)).Select(orderId => ClosedOrderItem + orderId));

        var clientOrderIds = new Dictionary<string, RememberedClientOrder>(state.ClientOrders, StringComparer.Ordinal);
        foreach (var (clientOrderId, remembered) in clientOrderIds)
        {
            if (!ReferenceEquals(_storedClientOrders.GetValueOrDefault(clientOrderId), remembered))
            {
                upserts.Add(new StateItem(ClientOrderItem + clientOrderId, 0, serializer.SerializeToArray(remembered)));
            }
        }

        removals.AddRange(_storedClientOrders.Keys.Where(clientOrderId => !clientOrderIds.ContainsKey(clientOrderId)).Select(clientOrderId => ClientOrderItem + clientOrderId));

        return StoreAsync(SerializeWithoutItems(state), new StateItemChanges(upserts, removals), closedOrders, clientOrderIds);
    }

    private async Task StoreAsync(byte[] payload, StateItemChanges items, Dictionary<string, WalletOrderState> closedOrders, Dictionary<string, RememberedClientOrder> clientOrderIds)
    {
        _version = await store.WriteAsync(Kind, accountId, _version, payload, items);
        _storedClosedOrders = closedOrders;
        _storedClientOrders = clientOrderIds;
    }

    private byte[] SerializeWithoutItems(WalletState state)
    {
        var (closedOrders, clientOrders) = (state.ClosedOrders, state.ClientOrders);
        (state.ClosedOrders, state.ClientOrders) = ([], []);
        try
        {
            return serializer.SerializeToArray(state);
        }
        finally
        {
            (state.ClosedOrders, state.ClientOrders) = (closedOrders, clientOrders);
        }
    }

    private T Deserialize<T>(byte[] payload) =>
        serializer.Deserialize<T>(payload) ?? throw new InvalidDataException($"Part of the stored state of wallet '{accountId}' is empty.");
}
