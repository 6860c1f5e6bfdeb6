using System.Collections.Concurrent;
using System.Threading.Channels;
using Exchange.Abstractions;
using Orleans.Streams;

namespace Exchange.Silo.Api.Feed;

/// <summary>
/// Fans the Orleans streams of one namespace out to live connections on this silo: one subscription per stream key
/// per silo however many connections watch it, and a slow connection drops its oldest items rather than hold up the
/// others. The subscriptions last as long as the silo: they are stored in the stream's pub-sub state, so the silo
/// releases them as it stops (<see cref="ReleaseAsync"/>), or the next event on each stream would be sent to a client
/// that no longer exists before Orleans gave up on it.
/// </summary>
public sealed class StreamFanOut<TEvent, TItem>(IClusterClient client, string streamNamespace, Func<TEvent, string> keyOf,
    Func<TEvent, Task<IReadOnlyList<TItem>>> itemsOf)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<StreamSubscriptionHandle<TEvent>>>> _subscriptions = new();
    private readonly ConcurrentDictionary<Guid, Listener> _listeners = new();

    private sealed record Listener(IReadOnlySet<string>? Keys, Func<TItem, bool>? Wants, Channel<TItem> Channel);

    /// <summary>
    /// Subscribes this silo to the streams of <paramref name="keys"/> and listens to them, or, when
    /// <paramref name="onlyThese"/> is false, to every stream this silo is subscribed to; <paramref name="wants"/>, when
    /// given, narrows what the listener hears within those streams.
    /// </summary>
    public async Task<(Guid Id, ChannelReader<TItem> Reader)> ListenAsync(IReadOnlyCollection<string> keys, bool onlyThese, Func<TItem, bool>? wants = null)
    {
        await SubscribeAsync(keys);
        var channel = Channel.CreateBounded<TItem>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropOldest });
        var id = Guid.NewGuid();
        _listeners[id] = new Listener(onlyThese ? keys.ToHashSet() : null, wants, channel);
        return (id, channel.Reader);
    }

    /// <summary>
    /// From now on listener <paramref name="id"/> hears the streams of <paramref name="keys"/> in place of those it heard:
    /// a feed that follows a set of keys which changes while it is open (the celebrities an agent acts for, those a fan
    /// holds seconds with) keeps its connection. Does nothing for a listener that stopped or hears every stream.
    /// </summary>
    public async Task RetargetAsync(Guid id, IReadOnlyCollection<string> keys)
    {
        await SubscribeAsync(keys);
        if (_listeners.TryGetValue(id, out var listener) && listener.Keys is not null)
        {
            _listeners.TryUpdate(id, listener with { Keys = keys.ToHashSet() }, listener);
        }
    }

    /// <summary>
    /// Hands listener <paramref name="id"/> an item that did not come from its streams, if it wants it: how something it
    /// began to hear late stands now, since what its stream said before was not heard.
    /// </summary>
    public void Tell(Guid id, TItem item)
    {
        if (_listeners.TryGetValue(id, out var listener) && (listener.Wants?.Invoke(item) ?? true))
        {
            listener.Channel.Writer.TryWrite(item);
        }
    }

    public void Stop(Guid id)
    {
        if (_listeners.TryRemove(id, out var listener))
        {
            listener.Channel.Writer.TryComplete();
        }
    }

    /// <summary>Subscribes this silo to the streams of <paramref name="keys"/> it is not subscribed to yet.</summary>
    public Task SubscribeAsync(IEnumerable<string> keys) => Task.WhenAll(keys.Select(EnsureSubscribedAsync));

    /// <summary>Ends this silo's subscriptions; the listeners stay open but hear nothing more.</summary>
    public async Task ReleaseAsync()
    {
        var subscriptions = _subscriptions.Values.Where(s => s.IsValueCreated && !s.Value.IsFaulted).Select(s => s.Value).ToList();
        _subscriptions.Clear();
        await Task.WhenAll(subscriptions.Select(async subscribing => await (await subscribing).UnsubscribeAsync()));
    }

    private Task EnsureSubscribedAsync(string key)
    {
        var subscribing = _subscriptions.GetOrAdd(key, NewSubscription);
        if (subscribing.IsValueCreated && subscribing.Value.IsFaulted)
        {
            // A subscription that failed (the database away, a silo leaving) is tried again by the next listener, not kept:
            // kept, the stream would stay silent on this silo until it restarted.
            _subscriptions.TryUpdate(key, NewSubscription(key), subscribing);
            subscribing = _subscriptions.GetOrAdd(key, NewSubscription);
        }

        return subscribing.Value;
    }

    private Lazy<Task<StreamSubscriptionHandle<TEvent>>> NewSubscription(string key) => new(() => SubscribeAsync(key));

    private Task<StreamSubscriptionHandle<TEvent>> SubscribeAsync(string key) =>
        client.GetStreamProvider(StreamNames.Provider).GetStream<TEvent>(StreamId.Create(streamNamespace, key))
            .SubscribeAsync((item, _) => PublishAsync(item));

    private async Task PublishAsync(TEvent streamEvent)
    {
        var key = keyOf(streamEvent);
        var interested = _listeners.Values.Where(l => l.Keys is null || l.Keys.Contains(key)).ToList();
        if (interested.Count == 0)
        {
            return;
        }

        var items = await itemsOf(streamEvent);
        foreach (var listener in interested)
        {
            foreach (var item in items.Where(item => listener.Wants?.Invoke(item) ?? true))
            {
                listener.Channel.Writer.TryWrite(item);
            }
        }
    }
}
