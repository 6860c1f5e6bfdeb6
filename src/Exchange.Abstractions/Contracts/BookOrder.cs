using Exchange.Domain.Orders;

namespace Exchange.Abstractions.Contracts;

/// <summary>
/// An order sent by a wallet to a book, already funded. <see cref="OrderNumber"/> increases per owner, so the book
/// recognises a wallet re-sending an order it already took after a crash. With a <see cref="StopPriceFen"/> the book
/// holds it off the book until a trade reaches that price.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BookOrder(
    [property: Id(0)] string OrderId,
    [property: Id(1)] string OwnerId,
    [property: Id(2)] long OrderNumber,
    [property: Id(3)] Side Side,
    [property: Id(4)] OrderType Type,
    [property: Id(5)] TimeInForce TimeInForce,
    [property: Id(6)] long LimitPriceFen,
    [property: Id(7)] long Quantity,
    [property: Id(8)] long StopPriceFen = 0);
