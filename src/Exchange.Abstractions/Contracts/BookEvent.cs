namespace Exchange.Abstractions.Contracts;

/// <summary>
/// Something the order book did that a wallet must apply: a trade, quantity of an order that will never trade
/// (cancelled by the fan, an IOC/market remainder, a killed FOK, or self-trade prevention), or the new price of a
/// resting order (<see cref="RepricedToFen"/>, with <see cref="CancelledOrderId"/> naming the order and no quantity
/// cancelled: a wallet of an earlier build applies it as a cancellation of nothing), or, named the same way, a stop
/// order that a trade reached and that is now placed (<see cref="StopTriggered"/>). Delivered at least once, in
/// <see cref="Sequence"/> order per celebrity; wallets ignore sequences they have already applied.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BookEvent(
    [property: Id(0)] long Sequence,
    [property: Id(1)] TradeRecord? Trade,
    [property: Id(2)] string? CancelledOrderId,
    [property: Id(3)] string? CancelledOwnerId,
    [property: Id(4)] long CancelledQuantity,
    [property: Id(5)] long RepricedToFen = 0,
    [property: Id(6)] bool StopTriggered = false)
{
    public IEnumerable<string> AccountsConcerned() =>
        Trade is { } trade ? [trade.BuyerId, trade.SellerId] : [CancelledOwnerId!];
}
