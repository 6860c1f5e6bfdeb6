namespace Exchange.Abstractions.Contracts;

[GenerateSerializer, Immutable]
public sealed record Candle(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] long OpenFen,
    [property: Id(2)] long HighFen,
    [property: Id(3)] long LowFen,
    [property: Id(4)] long CloseFen,
    [property: Id(5)] long Volume);

/// <summary>Market data derived from the trade stream.</summary>
[GenerateSerializer, Immutable]
public sealed record MarketSummary(
    [property: Id(0)] string CelebrityId,
    [property: Id(1)] long? LastPriceFen,
    [property: Id(2)] long Volume24h,
    [property: Id(3)] long TradeCount,
    [property: Id(4)] IReadOnlyList<Candle> Candles);
