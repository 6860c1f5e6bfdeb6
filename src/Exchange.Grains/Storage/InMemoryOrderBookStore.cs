using Exchange.Grains.State;
using Orleans.Serialization;

namespace Exchange.Grains.Storage;

/// <summary>Books for a silo without a database. Headers are kept serialized so no caller shares objects with storage.</summary>
public sealed class InMemoryOrderBookStore(Serializer<OrderBookState> serializer) : IOrderBookStore
{
    private sealed record Stored(long Version, byte[] Header, Dictionary<long, RestingOrderState> RestingOrders, Dictionary<string, long> OrderNumbers);

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
            state.LastOrderNumberByOwner = new Dictionary<string, long>(stored.OrderNumbers);
            return Task.FromResult<StoredOrderBook?>(new StoredOrderBook(stored.Version, state));
        }
    }

    public Task<long> WriteAsync(string celebrityId, long expectedVersion, OrderBookChanges changes, CancellationToken cancellationToken = default)
    {
        var header = OrderBookHeader.Serialize(serializer, changes.Header);
        lock (_lock)
        {
            var current = _books.GetValueOrDefault(celebrityId);
            if ((current?.Version ?? 0) != expectedVersion)
            {
                throw OrderBookHeader.VersionConflict(celebrityId, expectedVersion);
            }

            // Resting orders are immutable, so they can be shared; the dictionary itself is copied for all-or-nothing.
            var restingOrders = new Dictionary<long, RestingOrderState>(current?.RestingOrders ?? []);
            foreach (var removed in changes.Removals)
            {
                restingOrders.Remove(removed);
            }

            foreach (var order in changes.Upserts)
            {
                restingOrders[order.EngineOrderId] = order;
            }

            var orderNumbers = new Dictionary<string, long>(current?.OrderNumbers ?? []);
            foreach (var (ownerId, orderNumber) in changes.OrderNumbers)
            {
                orderNumbers[ownerId] = Math.Max(orderNumbers.GetValueOrDefault(ownerId), orderNumber);
            }

            _books[celebrityId] = new Stored(expectedVersion + 1, header, restingOrders, orderNumbers);
            return Task.FromResult(expectedVersion + 1);
        }
    }
}
