using Exchange.Domain.Units;

namespace Exchange.Domain.Orders;

/// <summary>
/// An order arriving at the matching engine. <paramref name="LimitPrice"/> is the limit of a limit order; for a market
/// order it is the worst price it may trade at (the price band edge), or default for no bound.
/// <paramref name="Reference"/> is carried through untouched so callers can map fills back to their own ids.
/// </summary>
public readonly record struct NewOrder(
    long OrderId,
    string Owner,
    Side Side,
    OrderType Type,
    TimeInForce TimeInForce,
    Price LimitPrice,
    Seconds Quantity,
    string Reference = "");
