using Exchange.Grains.State;
using Orleans.Serialization;

namespace Exchange.Grains.Storage;

/// <summary>Books for a silo without a database. Headers are kept serialized so no caller shares objects with storage.</summary>
public sealed class InMemoryOrderBookStore(Serializer<OrderBookState> serializer, InMemoryTradeJournal journal) : IOrderBookStore
{
    private sealed class Stored
    {
        public long Version { get; set; }

        public byte[] Header { get; set; } = [];

        public Dictionary<long, RestingOrderState> RestingOrders { get; } = new();

        public Dictionary<long, StopOrderState> StopOrders { get; } = new();
    }

    private readonly Dictionary<string, Stored> _books = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task<StoredOrderBook?> ReadAsync(string celebrityId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_books.TryGetValue(celebrityId, out var stored))
            {
                return Task.FromResult<StoredOrderBook?>(null);
            }

            var state = serializer.Deserialize(stored.Header) ?? throw new InvalidDataException($"The stored header of {celebrityId}'s book is empty.");
            state.RestingOrders = stored.RestingOrders.Values.OrderBy(order => order.Sequence).ToList();
            state.StopOrders = stored.StopOrders.Values.OrderBy(order => order.Sequence).ToList();
            return Task.FromResult<StoredOrderBook?>(new StoredOrderBook(stored.Version, state));
        }
    }

    public Task<long> WriteAsync(string celebrityId, long expectedVersion, OrderBookChanges changes, CancellationToken cancellationToken = default)
    {
        var header = OrderBookHeader.Serialize(serializer, changes.Header);
        lock (_lock)
        {
            var stored = _books.GetValueOrDefault(celebrityId);
            if ((stored?.Version ?? 0) != expectedVersion)
            {
                return Task.FromException<long>(OrderBookHeader.VersionConflict(celebrityId, expectedVersion));
            }

            // Past the version check nothing can fail, so changing in place under the lock is all or nothing; resting
            // orders are immutable, so they can be shared with the caller.
            if (stored is null)
            {
                _books[celebrityId] = stored = new Stored();
            }

            stored.Version = expectedVersion + 1;
            stored.Header = header;
            foreach (var removed in changes.Removals)
            {
                stored.RestingOrders.Remove(removed);
                stored.StopOrders.Remove(removed);
            }

            foreach (var stop in changes.StopUpserts)
            {
                stored.StopOrders[stop.EngineOrderId] = stop;
            }

            foreach (var order in changes.Upserts)
            {
                stored.RestingOrders[order.EngineOrderId] = order;
            }

            journal.Append(changes.Trades);

            return Task.FromResult(stored.Version);
        }
    }
}
