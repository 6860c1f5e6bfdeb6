using Exchange.Domain.Orders;
using Exchange.Domain.Protection;
using Exchange.Domain.Units;

namespace Exchange.Domain.Matching;

/// <summary>
/// A continuous limit order book for one instrument: price-time priority, limit and market orders, GTC/IOC/FOK,
/// cancel, self-trade prevention that cancels the resting order, and stop orders held off the book until the owner
/// triggers them (<see cref="TakeTriggered"/>). Single-threaded, no I/O, deterministic: the same sequence of calls
/// always yields the same fills.
/// </summary>
public sealed class MatchingEngine
{
    private readonly BookSide _bids = new(Side.Buy);
    private readonly BookSide _asks = new(Side.Sell);
    private readonly Dictionary<long, RestingOrder> _restingById = new(1024);
    private readonly Dictionary<long, StopOrder> _stopsById = new();

    // Each side's stops in the order a moving price reaches them: sells highest first, buys lowest first, then oldest.
    private readonly SortedSet<StopOrder> _sellStops = new(Comparer<StopOrder>.Create((left, right) =>
        left.StopPrice != right.StopPrice ? right.StopPrice.CompareTo(left.StopPrice) : left.Sequence.CompareTo(right.Sequence)));
    private readonly SortedSet<StopOrder> _buyStops = new(Comparer<StopOrder>.Create((left, right) =>
        left.StopPrice != right.StopPrice ? left.StopPrice.CompareTo(right.StopPrice) : left.Sequence.CompareTo(right.Sequence)));
    private long _nextSequence = 1;
    private HashSet<long>? _changedOrderIds;

    public MatchingEngine()
    {
    }

    /// <param name="trackChanges">
    /// Remember which resting orders each call adds, reduces or removes, so an owner that persists the book can
    /// write only those (<see cref="TakeChangedOrderIds"/>) instead of every resting order on every write.
    /// </param>
    public MatchingEngine(bool trackChanges)
    {
        _changedOrderIds = trackChanges ? new HashSet<long>() : null;
    }

    /// <summary>Number given to the next fill; persisted by the owner so numbers never repeat after a restart.</summary>
    public long NextTradeNumber { get; set; } = 1;

    public int RestingOrderCount => _restingById.Count;

    public int StopOrderCount => _stopsById.Count;

    public Price? BestBid => _bids.Best?.Price;

    public Price? BestAsk => _asks.Best?.Price;

    public bool Contains(long orderId) => _restingById.ContainsKey(orderId);

    public RestingOrder? Find(long orderId) => _restingById.GetValueOrDefault(orderId);

    public StopOrder? FindStop(long orderId) => _stopsById.GetValueOrDefault(orderId);

    public void Place(in NewOrder order, ExecutionReport report)
    {
        Validate(order);
        if (IsKnown(order.OrderId))
        {
            throw new ArgumentException($"Order {order.OrderId} is already on the book.", nameof(order));
        }

        report.Reset(order);

        var opposite = order.Side == Side.Buy ? _asks : _bids;
        var worstAcceptable = WorstAcceptablePrice(order);

        if (order.TimeInForce == TimeInForce.FillOrKill && !CanFillCompletely(opposite, order, worstAcceptable))
        {
            report.Status = OrderStatus.Killed;
            report.CancelledQuantity = order.Quantity;
            return;
        }

        var remaining = Match(order, opposite, worstAcceptable, report);
        report.FilledQuantity = order.Quantity - remaining;

        if (!remaining.IsPositive)
        {
            report.Status = OrderStatus.Filled;
            return;
        }

        if (order.Type == OrderType.Limit && order.TimeInForce.Rests())
        {
            Rest(order, remaining);
            report.RestingQuantity = remaining;
            report.Status = report.FilledQuantity.IsPositive ? OrderStatus.PartiallyFilled : OrderStatus.Open;
            return;
        }

        report.CancelledQuantity = remaining;
        report.Status = OrderStatus.Cancelled;
    }

    /// <summary>Whether the best bid is at or above the best ask: only orders queued for an auction leave it so.</summary>
    public bool IsCrossed => _bids.Best is { } bid && _asks.Best is { } ask && bid.Price >= ask.Price;

    /// <summary>
    /// Puts a limit order on the book without matching it, for a call auction to trade (<see cref="Uncross"/>): the
    /// book may be left crossed. Only orders that rest can wait for an auction.
    /// </summary>
    public void Queue(in NewOrder order, ExecutionReport report)
    {
        Validate(order);
        if (order.Type != OrderType.Limit || !order.TimeInForce.Rests())
        {
            throw new ArgumentException("Only a limit order that rests (GTC or day) can wait for an auction.", nameof(order));
        }

        if (IsKnown(order.OrderId))
        {
            throw new ArgumentException($"Order {order.OrderId} is already on the book.", nameof(order));
        }

        report.Reset(order);
        Rest(order, order.Quantity);
        report.RestingQuantity = order.Quantity;
    }

    /// <summary>The price and quantity an auction would trade at now (see <see cref="AuctionPrice.Find"/>), or null if nothing crosses within the band.</summary>
    public AuctionPrice? IndicativeAuction(Price reference, PriceBand band) =>
        IsCrossed ? AuctionPrice.Find(Depth(Side.Buy, int.MaxValue), Depth(Side.Sell, int.MaxValue), reference, band) : null;

    /// <summary>
    /// Ends a call auction: trades everything that crosses at one price, in price then time priority on each side,
    /// the later of each pair counting as the taker. A pair with one owner trades nothing: the older order is cancelled,
    /// as continuous trading cancels the resting one. Leaves the book uncrossed, unless what still crosses can trade
    /// only outside <paramref name="band"/>. The fills and cancellations are in <paramref name="report"/>; the price,
    /// or null if nothing traded.
    /// </summary>
    public Price? Uncross(Price reference, PriceBand band, ExecutionReport report)
    {
        report.ResetForAuction();
        Price? traded = null;

        // Cancelling a self-trade can move the best price the auction found, so find it again until nothing crosses.
        while (IndicativeAuction(reference, band) is { } auction)
        {
            var price = auction.Price;
            while (_bids.Best is { } bids && _asks.Best is { } asks && bids.Price >= price && asks.Price <= price)
            {
                var bid = bids.Head!;
                var ask = asks.Head!;
                if (string.Equals(bid.Owner, ask.Owner, StringComparison.Ordinal))
                {
                    var older = bid.Sequence < ask.Sequence ? bid : ask;
                    report.SelfTradeCancellations.Add(new CancelledOrder(older.OrderId, older.Owner, older.Reference, older.Side, older.Price, older.RemainingQuantity));
                    RemoveResting(older);
                    continue;
                }

                var (maker, taker) = bid.Sequence < ask.Sequence ? (bid, ask) : (ask, bid);
                var quantity = Seconds.Min(bid.RemainingQuantity, ask.RemainingQuantity);
                report.Fills.Add(new Fill(NextTradeNumber++, maker.OrderId, maker.Owner, maker.Reference, taker.OrderId, taker.Owner, taker.Reference, taker.Side, price, quantity));
                report.FilledQuantity += quantity;
                TakeFrom(bid, quantity);
                TakeFrom(ask, quantity);
                traded = price;
            }
        }

        return traded;
    }

    /// <summary>
    /// Holds <paramref name="order"/> off the book until a trade reaches <paramref name="stopPrice"/>. Whether the last
    /// trade has reached it already is the owner's to check (<see cref="StopRules.IsReached"/>): the engine does not
    /// know the price a day opened at.
    /// </summary>
    public StopOrder Arm(in NewOrder order, Price stopPrice)
    {
        Validate(order);
        if (!stopPrice.IsValid)
        {
            throw new ArgumentException("A stop price must be positive.", nameof(stopPrice));
        }

        if (IsKnown(order.OrderId))
        {
            throw new ArgumentException($"Order {order.OrderId} is already on the book.", nameof(order));
        }

        var stop = new StopOrder(order.OrderId, order.Owner, order.Reference, order.Side, order.Type, order.TimeInForce, order.LimitPrice, stopPrice,
            order.Quantity, _nextSequence++);
        AddStop(stop);
        _changedOrderIds?.Add(stop.OrderId);
        return stop;
    }

    /// <summary>
    /// Takes off the next stop order a trade at <paramref name="lastTradePrice"/> reaches, if any, for the owner to
    /// place (<see cref="StopOrder.Triggered"/>); call again after each placement, since its trades can reach more.
    /// </summary>
    public StopOrder? TakeTriggered(Price lastTradePrice)
    {
        var sell = _sellStops.Count > 0 && _sellStops.Min!.IsReachedBy(lastTradePrice) ? _sellStops.Min : null;
        var buy = _buyStops.Count > 0 && _buyStops.Min!.IsReachedBy(lastTradePrice) ? _buyStops.Min : null;
        var triggered = sell is null ? buy : buy is null || sell.Sequence < buy.Sequence ? sell : buy;
        if (triggered is not null)
        {
            RemoveStop(triggered);
        }

        return triggered;
    }

    /// <summary>Stop orders waiting for their price, oldest first.</summary>
    public List<StopOrder> StopOrders()
    {
        var stops = _stopsById.Values.ToList();
        stops.Sort((left, right) => left.Sequence.CompareTo(right.Sequence));
        return stops;
    }

    /// <summary>Puts a saved stop order back (see <see cref="StopOrders"/>).</summary>
    public void RestoreStop(StopOrder stop)
    {
        if (IsKnown(stop.OrderId))
        {
            throw new InvalidOperationException($"Order {stop.OrderId} is already on the book.");
        }

        AddStop(stop);
        _nextSequence = Math.Max(_nextSequence, stop.Sequence + 1);
    }

    public CancelledOrder? Cancel(long orderId)
    {
        if (_stopsById.TryGetValue(orderId, out var stop))
        {
            RemoveStop(stop);
            return new CancelledOrder(stop.OrderId, stop.Owner, stop.Reference, stop.Side, stop.LimitPrice, stop.Quantity);
        }

        if (!_restingById.TryGetValue(orderId, out var order))
        {
            return null;
        }

        var cancelled = new CancelledOrder(order.OrderId, order.Owner, order.Reference, order.Side, order.Price, order.RemainingQuantity);
        RemoveResting(order);
        return cancelled;
    }

    /// <summary>
    /// Takes <paramref name="quantity"/> off a resting order, which keeps its place in the queue: less to trade takes
    /// nothing from the orders behind it. Null if the order is not resting. Taking all it has left is a cancel.
    /// </summary>
    public CancelledOrder? Reduce(long orderId, Seconds quantity)
    {
        var left = _restingById.TryGetValue(orderId, out var order) ? order.RemainingQuantity
            : _stopsById.TryGetValue(orderId, out var stop) ? stop.Quantity
            : (Seconds?)null;
        if (left is not { } remaining)
        {
            return null;
        }

        if (quantity.Value <= 0 || quantity > remaining)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity.Value, $"A resting order with {remaining.Value} s left can lose 1 to {remaining.Value} s.");
        }

        if (quantity == remaining)
        {
            return Cancel(orderId);
        }

        if (order is null)
        {
            // A stop has no place in a queue to keep yet: only its quantity changes.
            var reduced = _stopsById[orderId];
            reduced.Quantity -= quantity;
            _changedOrderIds?.Add(orderId);
            return new CancelledOrder(reduced.OrderId, reduced.Owner, reduced.Reference, reduced.Side, reduced.LimitPrice, quantity);
        }

        order.Level!.Reduce(order, quantity);
        _changedOrderIds?.Add(order.OrderId);
        return new CancelledOrder(order.OrderId, order.Owner, order.Reference, order.Side, order.Price, quantity);
    }

    /// <summary>Puts a saved order back without matching. Restore in ascending <see cref="RestingOrder.Sequence"/> to keep time priority.</summary>
    public void Restore(in RestingOrderSnapshot snapshot)
    {
        if (IsKnown(snapshot.OrderId))
        {
            throw new InvalidOperationException($"Order {snapshot.OrderId} is already on the book.");
        }

        var side = snapshot.Side == Side.Buy ? _bids : _asks;
        var order = new RestingOrder(snapshot.OrderId, snapshot.Owner, snapshot.Reference, snapshot.Side, snapshot.Price, snapshot.OriginalQuantity, snapshot.RemainingQuantity, snapshot.Sequence);
        side.GetOrAdd(snapshot.Price).Append(order);
        _restingById.Add(order.OrderId, order);
        _nextSequence = Math.Max(_nextSequence, snapshot.Sequence + 1);
    }

    /// <summary>All resting orders in arrival order, enough to rebuild this book with <see cref="Restore"/>.</summary>
    public List<RestingOrderSnapshot> Snapshot()
    {
        var snapshots = new List<RestingOrderSnapshot>(_restingById.Count);
        foreach (var order in _restingById.Values)
        {
            snapshots.Add(new RestingOrderSnapshot(order.OrderId, order.Owner, order.Reference, order.Side, order.Price, order.OriginalQuantity, order.RemainingQuantity, order.Sequence));
        }

        snapshots.Sort((left, right) => left.Sequence.CompareTo(right.Sequence));
        return snapshots;
    }

    /// <summary>
    /// Ids of resting orders added, reduced or removed since the last call (look each up with <see cref="Find"/>: one
    /// that is gone was removed). Orders put back with <see cref="Restore"/> do not count: they came from storage.
    /// </summary>
    public HashSet<long> TakeChangedOrderIds()
    {
        var changed = _changedOrderIds ?? throw new InvalidOperationException("This engine was not created to track changes.");
        _changedOrderIds = new HashSet<long>();
        return changed;
    }

    /// <summary>Counts orders as changed again, say because the write that was to store them failed.</summary>
    public void MarkChanged(IEnumerable<long> orderIds)
    {
        var changed = _changedOrderIds ?? throw new InvalidOperationException("This engine was not created to track changes.");
        changed.UnionWith(orderIds);
    }

    public List<DepthLevel> Depth(Side side, int maxLevels)
    {
        var book = side == Side.Buy ? _bids : _asks;
        var depth = new List<DepthLevel>(Math.Min(maxLevels, book.LevelCount));
        foreach (var level in book.LevelsBestFirst())
        {
            if (depth.Count == maxLevels)
            {
                break;
            }

            depth.Add(new DepthLevel(level.Price, new Seconds(level.TotalQuantity), level.OrderCount));
        }

        return depth;
    }

    /// <summary>Resting orders of one side, best price first and oldest first within a price.</summary>
    public IEnumerable<RestingOrder> OrdersInPriority(Side side)
    {
        var book = side == Side.Buy ? _bids : _asks;
        foreach (var level in book.LevelsBestFirst())
        {
            for (var order = level.Head; order is not null; order = order.Next)
            {
                yield return order;
            }
        }
    }

    private static void Validate(in NewOrder order)
    {
        if (!order.Quantity.IsPositive)
        {
            throw new ArgumentException("Quantity must be positive.", nameof(order));
        }

        if (order.Type == OrderType.Limit && !order.LimitPrice.IsValid)
        {
            throw new ArgumentException("A limit order needs a positive price.", nameof(order));
        }

        if (order.LimitPrice.FenPerSecond < 0)
        {
            throw new ArgumentException("Price cannot be negative.", nameof(order));
        }

        ArgumentNullException.ThrowIfNull(order.Owner);
    }

    private long WorstAcceptablePrice(in NewOrder order)
    {
        if (order.LimitPrice.IsValid)
        {
            return order.LimitPrice.FenPerSecond;
        }

        // An unbounded market order: any price on the other side is acceptable.
        return order.Side == Side.Buy ? long.MaxValue : 0;
    }

    private static bool IsAcceptable(Side incomingSide, Price levelPrice, long worstAcceptable) =>
        incomingSide == Side.Buy ? levelPrice.FenPerSecond <= worstAcceptable : levelPrice.FenPerSecond >= worstAcceptable;

    private static bool CanFillCompletely(BookSide opposite, in NewOrder order, long worstAcceptable)
    {
        var needed = order.Quantity.Value;
        foreach (var level in opposite.LevelsBestFirst())
        {
            if (!IsAcceptable(order.Side, level.Price, worstAcceptable))
            {
                return false;
            }

            for (var resting = level.Head; resting is not null; resting = resting.Next)
            {
                // Own orders would be cancelled, not traded against, so they do not count as liquidity.
                if (string.Equals(resting.Owner, order.Owner, StringComparison.Ordinal))
                {
                    continue;
                }

                needed -= resting.RemainingQuantity.Value;
                if (needed <= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private Seconds Match(in NewOrder order, BookSide opposite, long worstAcceptable, ExecutionReport report)
    {
        var remaining = order.Quantity;
        while (remaining.IsPositive)
        {
            var level = opposite.Best;
            if (level is null || !IsAcceptable(order.Side, level.Price, worstAcceptable))
            {
                break;
            }

            var maker = level.Head;
            while (maker is not null && remaining.IsPositive)
            {
                var next = maker.Next;
                if (string.Equals(maker.Owner, order.Owner, StringComparison.Ordinal))
                {
                    report.SelfTradeCancellations.Add(new CancelledOrder(maker.OrderId, maker.Owner, maker.Reference, maker.Side, maker.Price, maker.RemainingQuantity));
                    RemoveResting(maker);
                }
                else
                {
                    var quantity = Seconds.Min(remaining, maker.RemainingQuantity);
                    report.Fills.Add(new Fill(NextTradeNumber++, maker.OrderId, maker.Owner, maker.Reference, order.OrderId, order.Owner, order.Reference, order.Side, level.Price, quantity));
                    remaining -= quantity;
                    TakeFrom(maker, quantity);
                }

                maker = next;
            }

            // RemoveResting drops emptied levels itself, so a level still here has quantity left.
        }

        return remaining;
    }

    private bool IsKnown(long orderId) => _restingById.ContainsKey(orderId) || _stopsById.ContainsKey(orderId);

    private void AddStop(StopOrder stop)
    {
        _stopsById.Add(stop.OrderId, stop);
        (stop.Side == Side.Sell ? _sellStops : _buyStops).Add(stop);
    }

    private void RemoveStop(StopOrder stop)
    {
        _stopsById.Remove(stop.OrderId);
        (stop.Side == Side.Sell ? _sellStops : _buyStops).Remove(stop);
        _changedOrderIds?.Add(stop.OrderId);
    }

    private void Rest(in NewOrder order, Seconds remaining)
    {
        if (_restingById.ContainsKey(order.OrderId))
        {
            throw new InvalidOperationException($"Order {order.OrderId} is already on the book.");
        }

        var side = order.Side == Side.Buy ? _bids : _asks;
        var resting = new RestingOrder(order.OrderId, order.Owner, order.Reference, order.Side, order.LimitPrice, order.Quantity, remaining, _nextSequence++);
        side.GetOrAdd(order.LimitPrice).Append(resting);
        _restingById.Add(resting.OrderId, resting);
        _changedOrderIds?.Add(resting.OrderId);
    }

    private void TakeFrom(RestingOrder order, Seconds quantity)
    {
        if (quantity == order.RemainingQuantity)
        {
            RemoveResting(order);
            return;
        }

        order.Level!.Reduce(order, quantity);
        _changedOrderIds?.Add(order.OrderId);
    }

    private void RemoveResting(RestingOrder order)
    {
        var level = order.Level!;
        level.Remove(order);
        _restingById.Remove(order.OrderId);
        _changedOrderIds?.Add(order.OrderId);
        if (level.IsEmpty)
        {
            (order.Side == Side.Buy ? _bids : _asks).Remove(level);
        }
    }
}
