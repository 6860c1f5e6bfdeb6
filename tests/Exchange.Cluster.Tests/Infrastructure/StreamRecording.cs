using System.Collections.Concurrent;
using Exchange.Abstractions;
using Orleans.Streams;

namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>What a test hears on one Orleans stream of the exchange, in the order it arrives; disposing unsubscribes.</summary>
public sealed class StreamRecording<T> : IAsyncDisposable
{
    private readonly ConcurrentQueue<T> _received = new();
    private StreamSubscriptionHandle<T>? _subscription;

    public static async Task<StreamRecording<T>> StartAsync(ExchangeCluster exchange, string streamNamespace, string key)
    {
        var recording = new StreamRecording<T>();
        recording._subscription = await exchange.Cluster.Client.GetStreamProvider(StreamNames.Provider).GetStream<T>(StreamId.Create(streamNamespace, key))
            .SubscribeAsync((item, _) =>
            {
                recording._received.Enqueue(item);
                return Task.CompletedTask;
            });
        return recording;
    }

    /// <summary>What was heard, once at least <paramref name="count"/> items have been.</summary>
    public Task<T[]> AtLeastAsync(int count) => Eventually.ValueAsync(() => Task.FromResult(_received.ToArray()), items => items.Length >= count);

    public async ValueTask DisposeAsync()
    {
        if (_subscription is not null)
        {
            await _subscription.UnsubscribeAsync();
        }
    }
}
