using Exchange.Abstractions.Contracts;

namespace Exchange.Abstractions.Grains;

/// <summary>Last price, 24 h volume and one-minute candles of one celebrity, fed by the trade stream. Key: celebrity id.</summary>
public interface IMarketDataGrain : IGrainWithStringKey
{
    Task<MarketSummary> GetSummary(int candles);
}
