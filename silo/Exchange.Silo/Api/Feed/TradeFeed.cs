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

    private readonly TimeSpan _listingRefresh;
    private readonly CancellationToken _stopping;
    private int _followingListings;

    public TradeFeed(IClusterClient client, IGrainFactory grains, IExchangeDirectory directory, ApiOptions options, IHostApplicationLifetime lifetime,
        ILogger<TradeFeed> logger)
    {
        (_grains, _directory, _logger, _listingRefresh, _stopping) = (grains, directory, logger, options.FeedListingRefresh, lifetime.ApplicationStopping);
        _fanOut = new StreamFanOut<TradeBatch, FeedEvent>(client, StreamNames.Trades, batch => batch.CelebrityId, EventsOfAsync);
    }

    /// <summary>The trades of <paramref name="celebrities"/>, or of every listed celebrity when none are given.</summary>
    public async Task<(Guid Id, ChannelReader<FeedEvent> Reader)> ListenAsync(IReadOnlyCollection<string> celebrities)
    {
        if (celebrities.Count > 0)
        {
            return await _fanOut.ListenAsync(celebrities, onlyThese: true);
        }

        FollowNewListings();
        return await _fanOut.ListenAsync(await _directory.ListCelebritiesAsync(), onlyThese: false);
    }

    public void Stop(Guid id) => _fanOut.Stop(id);

    public Task ReleaseAsync() => _fanOut.ReleaseAsync();

    /// <summary>
    /// A whole-market listener hears every stream this silo subscribes to, so from the first one on, the silo also
    /// subscribes to celebrities listed later (on any silo) as the directory shows them.
    /// </summary>
    private void FollowNewListings()
    {
        if (Interlocked.Exchange(ref _followingListings, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(_listingRefresh);
            try
            {
                while (await timer.WaitForNextTickAsync(_stopping))
                {
                    try
                    {
                        await _fanOut.SubscribeAsync(await _directory.ListCelebritiesAsync(_stopping));
                    }
                    catch (Exception exception) when (!_stopping.IsCancellationRequested)
                    {
                        _logger.LogWarning(exception, "Could not look for new listings for the whole-market feed; trying again in {Refresh}", _listingRefresh);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

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
