using Exchange.Domain.Units;

namespace Exchange.Domain.Orders;

/// <summary>
/// An order held off the book until a trade reaches its stop price (at or below it for a sell, at or above it for a
/// buy); it then arrives like a new order with its type, limit and time in force. Nobody sees it in the depth.
/// </summary>
public sealed class StopOrder
{
    public StopOrder(long orderId, string owner, string reference, Side side, OrderType type, TimeInForce timeInForce, Price limitPrice, Price stopPrice,
        Seconds quantity, long sequence)
    {
        OrderId = orderId;
        Owner = owner;
        Reference = reference;
        Side = side;
        Type = type;
        TimeInForce = timeInForce;
        LimitPrice = limitPrice;
        StopPrice = stopPrice;
        Quantity = quantity;
        Sequence = sequence;
    }

    public long OrderId { get; }

    public string Owner { get; }

    public string Reference { get; }

    public Side Side { get; }

    public OrderType Type { get; }

    public TimeInForce TimeInForce { get; }

    /// <summary>The limit of a stop-limit order; for a stop-market order the worst price it may trade at, or default for no bound.</summary>
    public Price LimitPrice { get; }

    public Price StopPrice { get; }

    public Seconds Quantity { get; internal set; }

    /// <summary>Arrival order: of two stops a trade reaches together, the older triggers first.</summary>
    public long Sequence { get; }

    /// <summary>Whether a trade at <paramref name="lastTradePrice"/> triggers this order.</summary>
    public bool IsReachedBy(Price lastTradePrice) => StopRules.IsReached(Side, StopPrice, lastTradePrice);

    /// <summary>
    /// The order as it arrives once triggered, with the limit the book allows it now (a market order's band edge), under
    /// <paramref name="orderId"/>: a new number, so that storage sees a new resting order rather than a changed stop.
    /// </summary>
    public NewOrder Triggered(long orderId, Price limitPrice) => new(orderId, Owner, Side, Type, TimeInForce, limitPrice, Quantity, Reference);
}
