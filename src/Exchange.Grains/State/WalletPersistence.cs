using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace Exchange.Grains.State;

/// <summary>
/// How one wallet is kept: balances and bookings are rewritten on every write, while orders, remembered client order
/// ids, processed transfer keys and positions per celebrity (most of a busy wallet's state, and mostly unchanged from
/// one write to the next) are items of their own: written when they appear or change, deleted when they go. A client order id
/// gets an item only once its order is no longer held: until then the order's item carries it (one row less per
/// order). An order, open or closed, is one item, rewritten when one of the fields that change after creation does
/// (<see cref="WalletOrderState.Changeable"/>): closing it is an update of its row.
/// A write looks only at the items the state recorded as changed (<see cref="WalletItemChanges"/>); the first write
/// of an activation, and the one after a failed write, compare every item. Positions (<see cref="WalletPosition"/>)
/// are recorded as touched wherever a holding is changed (<see cref="WalletState.Holding"/>) and compared by value,
/// so a touch that changed nothing writes nothing. The treasury holds every listed celebrity and takes fills from
/// every book's primary offer: its row held them all before, and comparing them all on each write cost it as much.
/// A processed transfer key's item carries the amount it moved as its sort number: builds that read the key alone
/// (the payload) still read these items as they always did.
/// </summary>
/// <param name="verifyChangeTracking">Also compares every item on each write and fails the write if the changes the state recorded
/// (<see cref="WalletItemChanges"/>) missed one: for tests.</param>
public sealed class WalletPersistence(
    IVersionedStateStore store, Serializer serializer, string accountId, IPersistentState<WalletState> legacyRow, ILogger logger, bool verifyChangeTracking = false)
    : VersionedGrainState<WalletState>(store, serializer, "wallet", accountId, legacyRow, logger)
{
    /// <summary>
    /// Open and closed orders alike (<see cref="WalletOrderState.ClosedPosition"/> tells them apart), so closing an
    /// order updates its row instead of deleting one row and inserting another.
    /// </summary>
    private readonly StoredItemSet<WalletOrderState, WalletOrderState.ChangeableFields> _orders =
        new("order:", order => order.Changeable, EqualityComparer<WalletOrderState.ChangeableFields>.Default);
    private readonly StoredItemSet<RememberedClientOrder, RememberedClientOrder> _clientOrders = StoredItemSet.OfImmutable<RememberedClientOrder>("client:");
    private readonly StoredItemSet<string, string> _processedTransfers = StoredItemSet.OfImmutable<string>("transfer:");
    private readonly StoredItemSet<WalletPosition, WalletPosition> _positions = new("position:", position => position, EqualityComparer<WalletPosition>.Default);

    // Where earlier builds kept open and closed orders: read, and replaced by order items on the first write.
    private readonly StoredItemSet<WalletOrderState, WalletOrderState> _closedOrdersBefore = StoredItemSet.OfImmutable<WalletOrderState>("closed:");
    private readonly StoredItemSet<WalletOrderState, WalletOrderState.ChangeableFields> _openOrdersBefore =
        new("open:", order => order.Changeable, EqualityComparer<WalletOrderState.ChangeableFields>.Default);

    private readonly string _accountId = accountId;
    private WalletItemChanges? _changesBeingWritten;

    protected override void Load(WalletState state, StateItem item)
    {
        if (_orders.Holds(item))
        {
            var order = Deserialize<WalletOrderState>(item.Payload);
            _orders.Loaded(item, order);
            if (order.ClosedPosition > 0)
            {
                state.ClosedOrders.Add(order);
            }
            else
            {
                state.OpenOrders[order.OrderId] = order;
            }
        }
        else if (_openOrdersBefore.Holds(item))
        {
            var order = Deserialize<WalletOrderState>(item.Payload);
            state.OpenOrders[_openOrdersBefore.Loaded(item, order)] = order;
        }
        else if (_processedTransfers.Holds(item))
        {
            var key = Deserialize<string>(item.Payload);
            _processedTransfers.Loaded(item, key);
            state.ProcessedTransfers.Add(key);
            if (item.Sort != 0)
            {
                state.TransferAmounts[key] = item.Sort;
            }
        }
        else if (_closedOrdersBefore.Holds(item))
        {
            var order = Deserialize<WalletOrderState>(item.Payload);
            _closedOrdersBefore.Loaded(item, order);
            state.ClosedOrders.Add(order);
        }
        else if (_clientOrders.Holds(item))
        {
            var remembered = Deserialize<RememberedClientOrder>(item.Payload);
            state.ClientOrders[_clientOrders.Loaded(item, remembered)] = remembered;
        }
        else if (_positions.Holds(item))
        {
            var position = Deserialize<WalletPosition>(item.Payload);
            position.RestoreInto(state, _positions.Loaded(item, position));
        }
    }

    protected override void Loaded(WalletState state)
    {
        // Items arrive in no useful order; the closed list is oldest first (orders closed before positions existed,
        // at 0, first of all, as they were).
        state.ClosedOrders = state.ClosedOrders.OrderBy(order => order.ClosedPosition).ToList();
        state.RememberClientOrderIdsOfHeldOrders();
    }

    protected override void Compare(WalletState state, List<StateItem> upserts, List<string> removals)
    {
        var changes = state.ItemChanges.Take();
        _changesBeingWritten = changes;
        if (changes.Everything)
        {
            CompareEveryItem(state, upserts, removals);
            return;
        }

        _orders.CompareTouched(changes.Orders.Select(pair => pair.Value is { } order ? (pair.Key, true, order.OrderNumber, order) : (pair.Key, false, 0L, null)),
            Serializer, upserts, removals);
        _clientOrders.CompareTouched(changes.ClientOrders.Select(id =>
                state.ClientOrders.TryGetValue(id, out var remembered) && state.ClientOrderIdNeedsItem(id, remembered, state.FindClosedOrder)
                    ? (id, true, 0L, remembered)
                    : (id, false, 0L, null)),
            Serializer, upserts, removals);
        _processedTransfers.CompareTouched(changes.ProcessedTransfers.Select(key => (key, state.ProcessedTransfers.Contains(key), state.TransferAmounts.GetValueOrDefault(key), (string?)key)), Serializer, upserts, removals);
        _positions.CompareTouched(changes.Positions.Select(celebrityId =>
                (celebrityId, state.Holdings.ContainsKey(celebrityId) || state.AppliedEventSequence.ContainsKey(celebrityId), 0L, WalletPosition.Of(state, celebrityId))),
            Serializer, upserts, removals);
        if (verifyChangeTracking)
        {
            VerifyAgainstEveryItem(state, upserts, removals);
        }
    }

    protected override void Written()
    {
        _orders.Written();
        _clientOrders.Written();
        _processedTransfers.Written();
        _positions.Written();
        _openOrdersBefore.Written();
        _closedOrdersBefore.Written();
        _changesBeingWritten = null;
    }

    protected override void NotWritten(WalletState state)
    {
        if (_changesBeingWritten is not null)
        {
            state.ItemChanges.PutBack(_changesBeingWritten);
        }

        _changesBeingWritten = null;
    }

    private void CompareEveryItem(WalletState state, List<StateItem> upserts, List<string> removals)
    {
        _orders.Compare(state.OpenOrders.Values.Concat(state.ClosedOrders).Select(order => (order.OrderId, order.OrderNumber, order)), Serializer, upserts, removals);
        _openOrdersBefore.Compare([], Serializer, upserts, removals);
        _closedOrdersBefore.Compare([], Serializer, upserts, removals);
        var closedById = new Dictionary<string, WalletOrderState>(StringComparer.Ordinal);
        foreach (var order in state.ClosedOrders)
        {
            closedById[order.OrderId] = order;
        }

        _clientOrders.Compare(state.ClientOrders.Where(pair => state.ClientOrderIdNeedsItem(pair.Key, pair.Value, closedById.GetValueOrDefault)).Select(pair => (pair.Key, 0L, pair.Value)),
            Serializer, upserts, removals);
        _processedTransfers.Compare(state.ProcessedTransfers.Select(key => (key, state.TransferAmounts.GetValueOrDefault(key), key)), Serializer, upserts, removals);
        ComparePositions(state, upserts, removals);
    }

    private void ComparePositions(WalletState state, List<StateItem> upserts, List<string> removals)
    {
        var celebrities = state.Holdings.Keys.Union(state.AppliedEventSequence.Keys, StringComparer.Ordinal);
        _positions.Compare(celebrities.Select(celebrityId => (celebrityId, 0L, WalletPosition.Of(state, celebrityId))), Serializer, upserts, removals);
    }

    /// <summary>
    /// Tests run with this on: a change made to an item without <see cref="WalletState"/> recording it would be lost
    /// on the next activation, so it fails the write loudly instead.
    /// </summary>
    private void VerifyAgainstEveryItem(WalletState state, List<StateItem> upserts, List<string> removals)
    {
        var (everyUpsert, everyRemoval) = (new List<StateItem>(), new List<string>());
        CompareEveryItem(state, everyUpsert, everyRemoval);
        var missedUpserts = everyUpsert.Select(item => item.Name).Except(upserts.Select(item => item.Name)).ToList();
        var missedRemovals = everyRemoval.Except(removals).ToList();
        if (missedUpserts.Count > 0 || missedRemovals.Count > 0 || everyUpsert.Count != upserts.Count || everyRemoval.Count != removals.Count)
        {
            throw new InvalidOperationException(
                $"Wallet {_accountId}: tracked changes differ from its items (missed upserts: {string.Join(", ", missedUpserts)}; " +
                $"missed removals: {string.Join(", ", missedRemovals)}; tracked {upserts.Count} upserts and {removals.Count} removals, " +
                $"comparing every item {everyUpsert.Count} and {everyRemoval.Count}).");
        }
    }

    protected override byte[] SerializeWithoutItems(WalletState state)
    {
        var (closedOrders, clientOrders, openOrders, processedTransfers) = (state.ClosedOrders, state.ClientOrders, state.OpenOrders, state.ProcessedTransfers);
        var (holdings, appliedEventSequence) = (state.Holdings, state.AppliedEventSequence);
        (state.ClosedOrders, state.ClientOrders, state.OpenOrders, state.ProcessedTransfers) = ([], [], [], []);
        (state.Holdings, state.AppliedEventSequence) = ([], []);
        try
        {
            return Serializer.SerializeToArray(state);
        }
        finally
        {
            (state.ClosedOrders, state.ClientOrders, state.OpenOrders, state.ProcessedTransfers) = (closedOrders, clientOrders, openOrders, processedTransfers);
            (state.Holdings, state.AppliedEventSequence) = (holdings, appliedEventSequence);
        }
    }
}
