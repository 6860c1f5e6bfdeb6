using Exchange.Abstractions.Contracts;

namespace Exchange.Grains.State;

[GenerateSerializer]
public sealed class MarketDataState
{
    [Id(0)] public long LastSequence { get; set; }
    [Id(1)] public long? LastPriceFen { get; set; }
    [Id(2)] public long TradeCount { get; set; }

    /// <summary>One-minute candles, oldest first, at most a day of them.</summary>
    [Id(3)] public List<Candle> Candles { get; set; } = new();
}
