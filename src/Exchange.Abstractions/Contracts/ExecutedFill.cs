namespace Exchange.Abstractions.Contracts;

[GenerateSerializer, Immutable]
public sealed record ExecutedFill([property: Id(0)] string TradeId, [property: Id(1)] long PriceFen, [property: Id(2)] long Quantity);
