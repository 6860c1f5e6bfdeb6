using Exchange.Domain.Orders;

namespace Exchange.Abstractions.Contracts;

/// <summary>
/// A fan's order as it arrives. <see cref="ClientOrderId"/> makes placement idempotent per fan. For market orders
/// <see cref="LimitPriceFen"/> is ignored. A positive <see cref="StopPriceFen"/> makes it a stop order: held off the
/// book until a trade reaches that price (at or below it for a sell, at or above it for a buy).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PlaceOrderCommand(
    [property: Id(0)] string ClientOrderId,
    [property: Id(1)] string CelebrityId,
    [property: Id(2)] Side Side,
    [property: Id(3)] OrderType Type,
    [property: Id(4)] TimeInForce TimeInForce,
    [property: Id(5)] long LimitPriceFen,
    [property: Id(6)] long Quantity,
    [property: Id(7)] long StopPriceFen = 0);
