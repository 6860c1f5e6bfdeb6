using System.Collections.Concurrent;
using System.Threading.Channels;
using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Grains.Storage;
using Exchange.Abstractions.Http;
using Orleans.Streams;

namespace Exchange.Silo.Api.Feed;

/// <summary>
/// Fans the Orleans <c>trades</c> streams out to live-feed connections on this silo. One stream subscription per
/// celebrity per silo however many connections watch it; a slow connection drops its oldest events rather than
/// hold up the others.
/// </summary>
public sealed class TradeFeed(IClusterClient client, IGrainFactory grains, IExchangeDirectory directory, ILogger<TradeFeed> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _subscriptions = new();
    private readonly ConcurrentDictionary<Guid, Listener> _listeners = new();

    private sealed record Listener(IReadOnlySet<string>? Celebrities, Channel<FeedEvent> Channel);

    public async Task<(Guid Id, ChannelReader<FeedEvent> Reader)> ListenAsync(IReadOnlyCollection<string> celebrities)
    {
        var watched = celebrities.Count > 0 ? celebrities : await directory.ListCelebritiesAsync();
        await Task.WhenAll(watched.Select(EnsureSubscribedAsync));
        var channel = Channel.CreateBounded<FeedEvent>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropOldest });
        var id = Guid.NewGuid();
        _listeners[id] = new Listener(celebrities.Count > 0 ? celebrities.ToHashSet() : null, channel);
        return (id, channel.Reader);
    }

    public void Stop(Guid id)
    {
        if (_listeners.TryRemove(id, out var listener))
        {
            listener.Channel.Writer.TryComplete();
        }
    }

    private Task EnsureSubscribedAsync(string celebrityId) =>
        _subscriptions.GetOrAdd(celebrityId, id => new Lazy<Task>(() => SubscribeAsync(id))).Value;

    private async Task SubscribeAsync(string celebrityId)
    {
        var stream = client.GetStreamProvider(StreamNames.Provider).GetStream<TradeBatch>(StreamId.Create(StreamNames.Trades, celebrityId));
        await stream.SubscribeAsync((batch, _) => PublishAsync(batch));
    }

    private async Task PublishAsync(TradeBatch batch)
    {
        var interested = _listeners.Values.Where(l => l.Celebrities is null || l.Celebrities.Contains(batch.CelebrityId)).ToList();
        if (interested.Count == 0)
        {
            return;
        }

        var events = batch.Trades.Select(t => new FeedEvent("trade", t.CelebrityId, new PublicTrade(t.TradeId, t.CelebrityId, t.PriceFen, t.Quantity, t.ExecutedAt), null)).ToList();
        try
        {
            events.Add(new FeedEvent("quote", batch.CelebrityId, null, await grains.ByKey<IOrderBookGrain>(batch.CelebrityId).GetQuote()));
        }
        catch (Exception exception)
        {
            logger.LogDebug(exception, "No quote for the feed of {Celebrity}", batch.CelebrityId);
        }

        foreach (var listener in interested)
        {
            foreach (var feedEvent in events)
            {
                listener.Channel.Writer.TryWrite(feedEvent);
            }
        }
    }
}
