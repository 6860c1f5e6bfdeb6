namespace Exchange.Abstractions.Contracts;

[GenerateSerializer, Immutable]
public sealed record DepthEntry([property: Id(0)] long PriceFen, [property: Id(1)] long Quantity, [property: Id(2)] int OrderCount);

[GenerateSerializer, Immutable]
public sealed record BookDepth(
    [property: Id(0)] MarketQuote Quote,
    [property: Id(1)] IReadOnlyList<DepthEntry> Bids,
    [property: Id(2)] IReadOnlyList<DepthEntry> Asks);
