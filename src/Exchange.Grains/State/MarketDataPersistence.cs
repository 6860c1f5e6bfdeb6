using System.Globalization;
using Exchange.Abstractions.Contracts;
using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace Exchange.Grains.State;

/// <summary>
/// How one celebrity's market data is kept: last price and counts are rewritten on every write, while each one-minute
/// candle (up to a day of them) is an item of its own, written when it appears or changes (candles are immutable
/// records: a changed candle is a new object).
/// </summary>
public sealed class MarketDataPersistence(IVersionedStateStore store, Serializer serializer, string celebrityId, IPersistentState<MarketDataState> legacyRow, ILogger logger)
    : VersionedGrainState<MarketDataState>(store, serializer, "marketdata", celebrityId, legacyRow, logger)
{
    private readonly StoredItemSet<Candle, Candle> _candles = StoredItemSet.OfImmutable<Candle>("candle:");

    protected override void Load(MarketDataState state, StateItem item)
    {
        if (_candles.Holds(item))
        {
            var candle = Deserialize<Candle>(item.Payload);
            _candles.Loaded(item, candle);
            state.Candles.Add(candle);
        }
    }

    protected override void Compare(MarketDataState state, List<StateItem> upserts, List<string> removals) =>
        _candles.Compare(state.Candles.Select(candle => (candle.Start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), candle.Start.ToUnixTimeSeconds(), candle)),
            Serializer, upserts, removals);

    protected override void Written() => _candles.Written();

    protected override byte[] SerializeWithoutItems(MarketDataState state)
    {
        var candles = state.Candles;
        state.Candles = [];
        try
        {
            return Serializer.SerializeToArray(state);
        }
        finally
        {
            state.Candles = candles;
        }
    }
}
