using Exchange.Domain.Orders;

namespace Exchange.Abstractions.Contracts;

/// <summary>
/// The book's answer to an order. When accepted, the reservation changes it implies reach the wallet as
/// <see cref="BookEvent"/>s; this answer is for telling the fan what happened.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BookPlacement(
    [property: Id(0)] ExchangeError? Rejection,
    [property: Id(1)] OrderStatus Status,
    [property: Id(2)] long FilledQuantity,
    [property: Id(3)] long RestingQuantity,
    [property: Id(4)] long CancelledQuantity,
    [property: Id(5)] IReadOnlyList<ExecutedFill> Fills,
    [property: Id(6)] bool AlreadyProcessed)
{
    /// <summary>For a re-sent order the book took before: what it did reaches the wallet as events, not in this answer.</summary>
    public static readonly BookPlacement AlreadyTaken = new(null, OrderStatus.Open, 0, 0, 0, [], AlreadyProcessed: true);

    public static BookPlacement Rejected(string code, string message) => new(new ExchangeError(code, message), OrderStatus.Cancelled, 0, 0, 0, [], false);
}
