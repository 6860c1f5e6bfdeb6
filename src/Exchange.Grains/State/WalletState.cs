using Exchange.Abstractions.Contracts;
using Exchange.Domain.Orders;
using Exchange.Domain.Redemption;

namespace Exchange.Grains.State;

/// <summary>
/// Balances of one account. Invariants: no field is ever negative; <see cref="CashReserved"/> equals the sum of
/// open buy orders' outstanding reservations, and each holding's Reserved the open sell orders' outstanding seconds.
/// </summary>
[GenerateSerializer]
public sealed class WalletState
{
    public const int ClosedOrdersKept = 200;

    [Id(0)] public long CashAvailable { get; set; }
    [Id(1)] public long CashReserved { get; set; }
    [Id(2)] public Dictionary<string, HoldingState> Holdings { get; set; } = new();
    [Id(3)] public Dictionary<string, WalletOrderState> OpenOrders { get; set; } = new();
    /// <summary>Only read to migrate state written before <see cref="ClientOrders"/> existed.</summary>
    [Id(4)] public Dictionary<string, string> OrderIdByClientOrderId { get; set; } = new();
    [Id(5)] public HashSet<string> ProcessedTransfers { get; set; } = new();

    /// <summary>
    /// The signed amount (deposits positive, withdrawals negative) each processed deposit or withdrawal key moved, and
    /// the seconds each chat used, so that a key used again for another amount, direction or length is refused instead
    /// of answered as a replay. Kept with the key's item (its sort number), not in the row: keys processed before this
    /// was recorded have no entry.
    /// </summary>
    public Dictionary<string, long> TransferAmounts => _transferAmounts ??= new(StringComparer.Ordinal);

    [NonSerialized]
    private Dictionary<string, long>? _transferAmounts;

    /// <summary>Per celebrity, the last book event applied: events arrive in order, so this is all the dedup needed.</summary>
    [Id(6)] public Dictionary<string, long> AppliedEventSequence { get; set; } = new();
    [Id(7)] public long TotalDepositedFen { get; set; }
    [Id(8)] public long TotalWithdrawnFen { get; set; }
    [Id(9)] public long LastOrderNumber { get; set; }
    [Id(10)] public bool Registered { get; set; }
    [Id(11)] public List<WalletOrderState> ClosedOrders { get; set; } = new();
    [Id(12)] public Dictionary<string, BookingHoldState> Bookings { get; set; } = new();

    /// <summary>Client order id -> the order it placed and when, kept for the idempotency window (see <see cref="ForgetClientOrderIds"/>).</summary>
    [Id(13)] public Dictionary<string, RememberedClientOrder> ClientOrders { get; set; } = new();

    /// <summary>How many orders this wallet has closed: numbers each closed order's <see cref="WalletOrderState.ClosedPosition"/>.</summary>
    [Id(14)] public long OrdersClosed { get; set; }

    /// <summary>Fans' requests to take cash out: pending ones hold their amount; decided ones are kept as a short history.</summary>
    [Id(15)] public Dictionary<string, WithdrawalState> Withdrawals { get; set; } = new();

    /// <summary>Running totals of cash paid for issued time (the treasury) and received for it (payout accounts): read by the audit.</summary>
    [Id(16)] public long IssuancesPaidFen { get; set; }
    [Id(17)] public long IssuancesReceivedFen { get; set; }

    /// <summary>Why an operator suspended the account, while it is: it places no orders and takes nothing out.</summary>
    [Id(18)] public string? SuspendedReason { get; set; }

    /// <summary>Few: the state holding them is written with every order the fan places.</summary>
    public const int DecidedWithdrawalsKept = 20;

    /// <summary>
    /// Ended chats' holds kept (the fan's list of chats is read from them); a chatty fan's would otherwise grow the state
    /// written with every order it places.
    /// </summary>
    public const int SettledChatHoldsKept = 20;

    public void ForgetOldSettledChatHolds()
    {
        foreach (var old in Bookings.Values.Where(hold => hold.Kind == SlotKind.TextChat && hold.Status != BookingHoldStatus.Held)
                     .OrderByDescending(hold => hold.Start).Skip(SettledChatHoldsKept).ToList())
        {
            Bookings.Remove(old.BookingId);
        }
    }

    public long CashHeldForWithdrawals => Withdrawals.Values.Where(w => w.Status == WithdrawalStatus.Pending).Sum(w => w.AmountFen);

    [NonSerialized]
    private WalletItemChanges? _itemChanges;

    /// <summary>Not stored: what changed since the last write. Every change to the item collections goes through this class's methods.</summary>
    public WalletItemChanges ItemChanges => _itemChanges ??= new();

    /// <summary>Closed orders stored before they had positions get theirs, in list order (oldest first).</summary>
    public void NumberClosedOrders()
    {
        foreach (var order in ClosedOrders.Where(order => order.ClosedPosition == 0))
        {
            order.ClosedPosition = ++OrdersClosed;
            ItemChanges.Orders[order.OrderId] = order;
        }
    }

    /// <summary>Moves client order ids from the old unbounded map into <see cref="ClientOrders"/>, dated now.</summary>
    public void MigrateClientOrderIds(DateTimeOffset now)
    {
        foreach (var (clientOrderId, orderId) in OrderIdByClientOrderId)
        {
            // Wins over the date a held order carries (RememberClientOrderIdsOfHeldOrders): a full window from now.
            ClientOrders[clientOrderId] = new RememberedClientOrder(orderId, now);
            ItemChanges.ClientOrders.Add(clientOrderId);
        }

        OrderIdByClientOrderId.Clear();
    }

    /// <summary>
    /// Forgets client order ids placed before <paramref name="cutoff"/> whose orders are no longer open; an open order
    /// keeps its id however old, so a retry can never place it twice.
    /// </summary>
    public void ForgetClientOrderIds(DateTimeOffset cutoff)
    {
        foreach (var (clientOrderId, remembered) in ClientOrders)
        {
            if (remembered.PlacedAt < cutoff && !OpenOrders.ContainsKey(remembered.OrderId))
            {
                ClientOrders.Remove(clientOrderId);
                ItemChanges.ClientOrders.Add(clientOrderId);
            }
        }
    }

    /// <summary>
    /// After a read: an order held (open, or among the closed orders kept) carries its client order id and when it
    /// was placed, so storage keeps a client order id as an item of its own only once its order is no longer held
    /// (see <see cref="ClientOrderIdNeedsItem"/>). Held orders whose ids memory had forgotten bring them back; the
    /// next placement forgets them again (<see cref="ForgetClientOrderIds"/>), as it would have anyway.
    /// </summary>
    public void RememberClientOrderIdsOfHeldOrders()
    {
        var newestByClientOrderId = new Dictionary<string, WalletOrderState>(StringComparer.Ordinal);
        foreach (var order in ClosedOrders.Concat(OpenOrders.Values))
        {
            if (!string.IsNullOrEmpty(order.ClientOrderId)
                && (!newestByClientOrderId.TryGetValue(order.ClientOrderId, out var other) || other.OrderNumber < order.OrderNumber))
            {
                newestByClientOrderId[order.ClientOrderId] = order;
            }
        }

        foreach (var (clientOrderId, order) in newestByClientOrderId)
        {
            ClientOrders.TryAdd(clientOrderId, new RememberedClientOrder(order.OrderId, order.CreatedAt));
        }
    }

    /// <summary>
    /// Whether a remembered client order id must be stored as an item of its own: only when no held order carries it
    /// (see <see cref="RememberClientOrderIdsOfHeldOrders"/>). <paramref name="findClosedOrder"/> finds a closed order kept.
    /// </summary>
    public bool ClientOrderIdNeedsItem(string clientOrderId, RememberedClientOrder remembered, Func<string, WalletOrderState?> findClosedOrder)
    {
        var order = OpenOrders.GetValueOrDefault(remembered.OrderId) ?? findClosedOrder(remembered.OrderId);
        return order is null || order.ClientOrderId != clientOrderId || order.CreatedAt != remembered.PlacedAt;
    }

    public WalletOrderState? FindClosedOrder(string orderId) => ClosedOrders.Find(order => order.OrderId == orderId);

    /// <summary>The holding to change (made if missing); its position is written with the next write.</summary>
    public HoldingState Holding(string celebrityId)
    {
        ItemChanges.Positions.Add(celebrityId);
        if (!Holdings.TryGetValue(celebrityId, out var holding))
        {
            holding = new HoldingState();
            Holdings[celebrityId] = holding;
        }

        return holding;
    }

    public void RecordAppliedEvents(string celebrityId, long lastSequence)
    {
        AppliedEventSequence[celebrityId] = lastSequence;
        ItemChanges.Positions.Add(celebrityId);
    }

    public WalletOrderState? FindOrder(string orderId) => OpenOrders.GetValueOrDefault(orderId) ?? FindClosedOrder(orderId);

    /// <summary>Sets aside cash (buy) or seconds (sell) for a new order. The caller has checked they are available.</summary>
    public void Reserve(WalletOrderState order)
    {
        if (order.Side == Side.Buy)
        {
            var amount = checked(order.ReservationPriceFen * order.Quantity);
            CashAvailable -= amount;
            CashReserved += amount;
        }
        else
        {
            var holding = Holding(order.CelebrityId);
            holding.Available -= order.Quantity;
            holding.Reserved += order.Quantity;
        }

        OpenOrders[order.OrderId] = order;
        ClientOrders[order.ClientOrderId] = new RememberedClientOrder(order.OrderId, order.CreatedAt);
        ItemChanges.Orders[order.OrderId] = order;
        ItemChanges.ClientOrders.Add(order.ClientOrderId);
    }

    /// <summary>Records a processed deposit, withdrawal or transfer so that a replay of it changes nothing.</summary>
    /// <param name="signedAmountFen">
    /// What a deposit (positive) or withdrawal (negative) moved, or the seconds a chat used; 0 for other transfers, whose
    /// keys the exchange makes itself from what they move.
    /// </param>
    public void RecordProcessedTransfer(string idempotencyKey, long signedAmountFen = 0)
    {
        ProcessedTransfers.Add(idempotencyKey);
        if (signedAmountFen != 0)
        {
            TransferAmounts[idempotencyKey] = signedAmountFen;
        }

        ItemChanges.ProcessedTransfers.Add(idempotencyKey);
    }

    /// <summary>The book took the order: what it filled at once, and the state that leaves the order in.</summary>
    public void RecordPlacement(WalletOrderState order, IReadOnlyList<ExecutedFill> initialFills)
    {
        order.InitialFills = initialFills;
        order.State = order.DerivedState();
        ItemChanges.Orders[order.OrderId] = order;
        if (order.OutstandingQuantity == 0)
        {
            Close(order);
        }
    }

    /// <summary>
    /// The fan asks the book for a new price. A buy's reservation covers it before the book may trade at it; the cash
    /// needed (<see cref="CashToReprice"/>) must be available.
    /// </summary>
    public void RecordRepriceRequest(WalletOrderState order, long limitPriceFen)
    {
        order.UnsettledRepricesFen = [.. order.UnsettledRepricesFen, limitPriceFen];
        ItemChanges.Orders[order.OrderId] = order;
        if (CashToReprice(order, limitPriceFen) > 0)
        {
            ReserveAt(order, limitPriceFen);
        }
    }

    /// <summary>What <see cref="RecordRepriceRequest"/> moves from available to reserved cash.</summary>
    public static long CashToReprice(WalletOrderState order, long limitPriceFen) =>
        order.Side == Side.Buy && limitPriceFen > order.ReservationPriceFen
            ? checked((limitPriceFen - order.ReservationPriceFen) * order.OutstandingQuantity)
            : 0;

    /// <summary>
    /// The book refused the price, or already had it: no event follows this request, and what it reserved beyond what
    /// the book may still trade at goes back.
    /// </summary>
    public void ForgetRepriceRequest(WalletOrderState order, long limitPriceFen)
    {
        var unsettled = order.UnsettledRepricesFen.ToList();
        var latest = unsettled.LastIndexOf(limitPriceFen);
        if (latest >= 0)
        {
            unsettled.RemoveAt(latest);
            order.UnsettledRepricesFen = unsettled;
        }

        ItemChanges.Orders[order.OrderId] = order;
        ReserveNoMoreThanTradable(order);
    }

    /// <summary>The price the book now trades a resting order at, as its answer said.</summary>
    public void ApplyStopTriggered(WalletOrderState order)
    {
        order.StopTriggered = true;
        ItemChanges.Orders[order.OrderId] = order;
    }

    public void SetLimitPrice(WalletOrderState order, long limitPriceFen)
    {
        order.RepricedLimitFen = limitPriceFen == order.LimitPriceFen ? 0 : limitPriceFen;
        ItemChanges.Orders[order.OrderId] = order;
    }

    /// <summary>
    /// The book's event for a price change. Book events arrive in order, so every fill at an older price has been
    /// applied: a lowered buy need reserve no more than the book may still trade it at.
    /// </summary>
    public void ApplyReprice(WalletOrderState order, long limitPriceFen)
    {
        SetLimitPrice(order, limitPriceFen);
        var unsettled = order.UnsettledRepricesFen.ToList();
        if (unsettled.Remove(limitPriceFen))
        {
            order.UnsettledRepricesFen = unsettled;
        }

        if (order.SettledLimitFen != 0)
        {
            order.SettledLimitFen = limitPriceFen;
        }

        ReserveNoMoreThanTradable(order);
    }

    private void ReserveNoMoreThanTradable(WalletOrderState order)
    {
        if (order.Side == Side.Buy && order.HighestTradablePriceFen < order.ReservationPriceFen)
        {
            ReserveAt(order, order.HighestTradablePriceFen);
        }
    }

    /// <summary>Reserves a buy order's outstanding seconds at another price; the difference moves between available and reserved cash.</summary>
    private void ReserveAt(WalletOrderState order, long reservationPriceFen)
    {
        var moved = checked((reservationPriceFen - order.ReservationPriceFen) * order.OutstandingQuantity);
        CashAvailable -= moved;
        CashReserved += moved;
        order.ReservationPriceFen = reservationPriceFen;
        ItemChanges.Orders[order.OrderId] = order;
    }

    /// <summary>Gives back the reservation for quantity that will never trade.</summary>
    public void Release(WalletOrderState order, long quantity)
    {
        if (order.Side == Side.Buy)
        {
            var amount = checked(order.ReservationPriceFen * quantity);
            CashReserved -= amount;
            CashAvailable += amount;
        }
        else
        {
            var holding = Holding(order.CelebrityId);
            holding.Reserved -= quantity;
            holding.Available += quantity;
        }
    }

    public void ApplyCancellation(WalletOrderState order, long quantity)
    {
        Release(order, quantity);
        order.CancelledQuantity += quantity;
        ItemChanges.Orders[order.OrderId] = order;
        CloseIfDone(order);
    }

    public void ApplyBuy(WalletOrderState order, TradeRecord trade)
    {
        var reserved = checked(order.ReservationPriceFen * trade.Quantity);
        CashReserved -= reserved;
        CashAvailable += reserved - trade.NotionalFen;
        Holding(order.CelebrityId).Gain(trade.Quantity, trade.NotionalFen);
        order.FilledQuantity += trade.Quantity;
        ItemChanges.Orders[order.OrderId] = order;
        CloseIfDone(order);
    }

    public void ApplySell(WalletOrderState order, TradeRecord trade)
    {
        var proceeds = trade.NotionalFen - trade.CommissionFen;
        Holding(order.CelebrityId).Sell(trade.Quantity, proceeds);
        CashAvailable += proceeds;
        order.FilledQuantity += trade.Quantity;
        ItemChanges.Orders[order.OrderId] = order;
        CloseIfDone(order);
    }

    /// <summary>The book refused the order: it leaves no trace, so the same client order id may be tried again.</summary>
    public void Reject(WalletOrderState order)
    {
        Release(order, order.OutstandingQuantity);
        order.State = OrderState.Rejected;
        OpenOrders.Remove(order.OrderId);
        ClientOrders.Remove(order.ClientOrderId);
        ItemChanges.Orders[order.OrderId] = null;
        ItemChanges.ClientOrders.Add(order.ClientOrderId);
    }

    private void CloseIfDone(WalletOrderState order)
    {
        if (order.State == OrderState.Submitting)
        {
            // The book's answer has not been recorded yet; the placement will close it.
            return;
        }

        order.State = order.DerivedState();
        if (order.OutstandingQuantity == 0)
        {
            Close(order);
        }
    }

    public void Close(WalletOrderState order)
    {
        if (OpenOrders.Remove(order.OrderId))
        {
            order.ClosedPosition = ++OrdersClosed;
            ClosedOrders.Add(order);
            ItemChanges.Orders[order.OrderId] = order;
            if (ClosedOrders.Count > ClosedOrdersKept)
            {
                var dropped = ClosedOrders[0];
                ClosedOrders.RemoveAt(0);
                ItemChanges.Orders[dropped.OrderId] = null;

                // No longer carried by a held order: a client order id still remembered needs an item of its own.
                ItemChanges.ClientOrders.Add(dropped.ClientOrderId);
            }
        }
    }
}
