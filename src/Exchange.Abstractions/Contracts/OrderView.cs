using Exchange.Domain.Orders;

namespace Exchange.Abstractions.Contracts;

/// <summary>
/// A fan's order as the fan sees it: what was asked, what has happened so far. <see cref="StopPriceFen"/> is the stop
/// price of a stop order, null for any other; <see cref="StopTriggered"/> says a trade reached it, so that the order
/// went to the book (a moment before its wallet hears of it).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrderView(
    [property: Id(0)] string OrderId,
    [property: Id(1)] string ClientOrderId,
    [property: Id(2)] string CelebrityId,
    [property: Id(3)] Side Side,
    [property: Id(4)] OrderType Type,
    [property: Id(5)] TimeInForce TimeInForce,
    [property: Id(6)] long LimitPriceFen,
    [property: Id(7)] long Quantity,
    [property: Id(8)] long FilledQuantity,
    [property: Id(9)] long CancelledQuantity,
    [property: Id(10)] OrderState State,
    [property: Id(11)] DateTimeOffset CreatedAt,
    [property: Id(12)] long? StopPriceFen = null,
    [property: Id(13)] bool StopTriggered = false);
