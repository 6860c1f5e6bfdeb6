using Exchange.Abstractions.Contracts;
using Orleans.CodeGeneration;

namespace Exchange.Abstractions.Grains;

/// <summary>Last price, 24 h volume and one-minute candles of one celebrity, fed by the trade stream. Key: celebrity id.</summary>
[Version(1)]
public interface IMarketDataGrain : IGrainWithStringKey
{
    Task<MarketSummary> GetSummary(int candles);
}
