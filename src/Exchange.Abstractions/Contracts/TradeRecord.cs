namespace Exchange.Abstractions.Contracts;

/// <summary>
/// One executed trade as it is settled, journaled and broadcast. <see cref="Sequence"/> is the book's event number,
/// strictly increasing per celebrity; receivers use it to apply each trade exactly once.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TradeRecord(
    [property: Id(0)] string TradeId,
    [property: Id(1)] string CelebrityId,
    [property: Id(2)] long Sequence,
    [property: Id(3)] string BuyerId,
    [property: Id(4)] string SellerId,
    [property: Id(5)] string BuyOrderId,
    [property: Id(6)] string SellOrderId,
    [property: Id(7)] long PriceFen,
    [property: Id(8)] long Quantity,
    [property: Id(9)] long NotionalFen,
    [property: Id(10)] long CommissionFen,
    [property: Id(11)] DateTimeOffset ExecutedAt);
