using System.Threading.Channels;
using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Abstractions.Http;
using Exchange.Grains.Storage;

namespace Exchange.Silo.Api.Feed;

/// <summary>The public live feed: each <c>trades</c> stream's trades, then the book's top after them.</summary>
public sealed class TradeFeed
{
    private readonly StreamFanOut<TradeBatch, FeedEvent> _fanOut;
    private readonly IGrainFactory _grains;
    private readonly IExchangeDirectory _directory;
    private readonly ILogger<TradeFeed> _logger;

    public TradeFeed(IClusterClient client, IGrainFactory grains, IExchangeDirectory directory, ILogger<TradeFeed> logger)
    {
        (_grains, _directory, _logger) = (grains, directory, logger);
        _fanOut = new StreamFanOut<TradeBatch, FeedEvent>(client, StreamNames.Trades, batch => batch.CelebrityId, EventsOfAsync);
    }

    /// <summary>The trades of <paramref name="celebrities"/>, or of every listed celebrity when none are given.</summary>
    public async Task<(Guid Id, ChannelReader<FeedEvent> Reader)> ListenAsync(IReadOnlyCollection<string> celebrities) =>
        await _fanOut.ListenAsync(celebrities.Count > 0 ? celebrities : await _directory.ListCelebritiesAsync(), onlyThese: celebrities.Count > 0);

    public void Stop(Guid id) => _fanOut.Stop(id);

    public Task ReleaseAsync() => _fanOut.ReleaseAsync();

    private async Task<IReadOnlyList<FeedEvent>> EventsOfAsync(TradeBatch batch)
    {
        var events = batch.Trades.Select(t => new FeedEvent("trade", t.CelebrityId, new PublicTrade(t.TradeId, t.CelebrityId, t.PriceFen, t.Quantity, t.ExecutedAt), null)).ToList();
        try
        {
            events.Add(new FeedEvent("quote", batch.CelebrityId, null, await _grains.ByKey<IOrderBookGrain>(batch.CelebrityId).GetQuote()));
        }
        catch (Exception exception)
        {
            _logger.LogDebug(exception, "No quote for the feed of {Celebrity}", batch.CelebrityId);
        }

        return events;
    }
}
