namespace Exchange.Abstractions.Contracts;

/// <summary>What the order book publishes on the <c>trades</c> stream: trades in sequence order.</summary>
[GenerateSerializer, Immutable]
public sealed record TradeBatch([property: Id(0)] string CelebrityId, [property: Id(1)] IReadOnlyList<TradeRecord> Trades);
