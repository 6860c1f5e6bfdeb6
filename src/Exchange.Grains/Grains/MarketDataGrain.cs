using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;
using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Exchange.Grains.Grains;

/// <summary>Consumes a celebrity's trade stream (implicitly subscribed) into last price, 24 h volume and candles.</summary>
[NewestSilosOnly]
[ImplicitStreamSubscription(StreamNames.Trades)]
public sealed class MarketDataGrain(
    IVersionedStateStore store,
    [PersistentState("marketdata", StorageNames.Exchange)] IPersistentState<MarketDataState> legacyMarket,
    Orleans.Serialization.Serializer serializer,
    ExchangeClock time,
    ILogger<MarketDataGrain> logger) : MigratableGrain, IMarketDataGrain, IStreamSubscriptionObserver, IAsyncObserver<TradeBatch>
{
    private const int CandlesKept = 24 * 60;

    private MarketDataPersistence _storage = null!;

    private MarketDataState State { get; set; } = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Market data written before the batched store kept its state in Orleans' grain storage (legacyMarket).
        _storage = new MarketDataPersistence(store, serializer, this.GetPrimaryKeyString(), legacyMarket, logger);
        State = await _storage.ReadAsync(cancellationToken);
    }

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<TradeBatch>().ResumeAsync(this);

    public async Task OnNextAsync(TradeBatch batch, StreamSequenceToken? token = null)
    {
        var changed = false;
        foreach (var trade in batch.Trades.OrderBy(trade => trade.Sequence))
        {
            // Settlement retries may publish a batch twice; sequences make that harmless.
            if (trade.Sequence <= State.LastSequence)
            {
                continue;
            }

            AddToCandle(trade);
            State.LastSequence = trade.Sequence;
            State.LastPriceFen = trade.PriceFen;
            State.TradeCount++;
            changed = true;
        }

        if (changed)
        {
            try
            {
                await _storage.WriteAsync(State);
            }
            catch
            {
                // Memory is now ahead of storage, perhaps by a write that did land: start again from storage rather
                // than keep writing from a version that may be stale.
                DeactivateOnIdle();
                throw;
            }
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public Task<MarketSummary> GetSummary(int candles)
    {
        var since = time.UtcNow.AddDays(-1);
        var volume = State.Candles.Where(candle => candle.Start >= since).Sum(candle => candle.Volume);
        var recent = State.Candles.TakeLast(Math.Clamp(candles, 0, CandlesKept)).ToList();
        return Task.FromResult(new MarketSummary(this.GetPrimaryKeyString(), State.LastPriceFen, volume, State.TradeCount, recent));
    }

    private void AddToCandle(TradeRecord trade)
    {
        var at = trade.ExecutedAt.ToUniversalTime();
        var minute = new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);
        if (State.Candles.Count > 0 && State.Candles[^1].Start == minute)
        {
            var current = State.Candles[^1];
            State.Candles[^1] = current with
            {
                HighFen = Math.Max(current.HighFen, trade.PriceFen),
                LowFen = Math.Min(current.LowFen, trade.PriceFen),
                CloseFen = trade.PriceFen,
                Volume = current.Volume + trade.Quantity,
            };
            return;
        }

        State.Candles.Add(new Candle(minute, trade.PriceFen, trade.PriceFen, trade.PriceFen, trade.PriceFen, trade.Quantity));
        if (State.Candles.Count > CandlesKept)
        {
            State.Candles.RemoveRange(0, State.Candles.Count - CandlesKept);
        }
    }
}
