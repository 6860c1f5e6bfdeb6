using Exchange.Domain.Matching;
using Exchange.Domain.Orders;
using Exchange.Domain.Units;

namespace Exchange.Domain.Tests;

/// <summary>
/// A deliberately naive order book (linear scans, no clever structures) that states price-time priority directly:
/// always trade with the best price, and the earliest arrival at that price. The engine must agree with it exactly.
/// </summary>
internal sealed class ReferenceBook
{
    private readonly List<Entry> _resting = [];
    private long _sequence;
    private long _tradeNumber = 1;

    public sealed record Entry(long OrderId, string Owner, Side Side, long Price, long Sequence)
    {
        public long Remaining { get; set; }
    }

    public sealed record Outcome(OrderStatus Status, long Filled, long Resting, long Cancelled, List<Fill> Fills, List<long> SelfTradeCancelled);

    public IReadOnlyList<Entry> Resting => _resting;

    public Outcome Place(NewOrder order)
    {
        var worst = order.LimitPrice.IsValid ? order.LimitPrice.FenPerSecond : order.Side == Side.Buy ? long.MaxValue : 0;
        bool Acceptable(Entry e) => e.Side != order.Side && (order.Side == Side.Buy ? e.Price <= worst : e.Price >= worst);

        if (order.TimeInForce == TimeInForce.FillOrKill)
        {
            var available = _resting.Where(e => Acceptable(e) && e.Owner != order.Owner).Sum(e => e.Remaining);
            if (available < order.Quantity.Value)
            {
                return new Outcome(OrderStatus.Killed, 0, 0, order.Quantity.Value, [], []);
            }
        }

        var remaining = order.Quantity.Value;
        var fills = new List<Fill>();
        var selfCancelled = new List<long>();
        while (remaining > 0)
        {
            var best = _resting.Where(Acceptable)
                .OrderBy(e => order.Side == Side.Buy ? e.Price : -e.Price)
                .ThenBy(e => e.Sequence)
                .FirstOrDefault();
            if (best is null)
            {
                break;
            }

            if (best.Owner == order.Owner)
            {
                selfCancelled.Add(best.OrderId);
                _resting.Remove(best);
                continue;
            }

            var quantity = Math.Min(remaining, best.Remaining);
            fills.Add(new Fill(_tradeNumber++, best.OrderId, best.Owner, "", order.OrderId, order.Owner, "", order.Side, new Price(best.Price), new Seconds(quantity)));
            remaining -= quantity;
            best.Remaining -= quantity;
            if (best.Remaining == 0)
            {
                _resting.Remove(best);
            }
        }

        var filled = order.Quantity.Value - remaining;
        if (remaining == 0)
        {
            return new Outcome(OrderStatus.Filled, filled, 0, 0, fills, selfCancelled);
        }

        if (order.Type == OrderType.Limit && order.TimeInForce == TimeInForce.GoodTillCancel)
        {
            _resting.Add(new Entry(order.OrderId, order.Owner, order.Side, order.LimitPrice.FenPerSecond, _sequence++) { Remaining = remaining });
            return new Outcome(filled > 0 ? OrderStatus.PartiallyFilled : OrderStatus.Open, filled, remaining, 0, fills, selfCancelled);
        }

        return new Outcome(OrderStatus.Cancelled, filled, 0, remaining, fills, selfCancelled);
    }

    public long? Cancel(long orderId)
    {
        var entry = _resting.Find(e => e.OrderId == orderId);
        if (entry is null)
        {
            return null;
        }

        _resting.Remove(entry);
        return entry.Remaining;
    }

    /// <summary>Takes <paramref name="quantity"/> off a resting order where it stands in the list; all of it removes the order.</summary>
    public long? Reduce(long orderId, long quantity)
    {
        var entry = _resting.Find(e => e.OrderId == orderId);
        if (entry is null)
        {
            return null;
        }

        entry.Remaining -= quantity;
        if (entry.Remaining == 0)
        {
            _resting.Remove(entry);
        }

        return quantity;
    }

    public long? Remaining(long orderId) => _resting.Find(e => e.OrderId == orderId)?.Remaining;
}
