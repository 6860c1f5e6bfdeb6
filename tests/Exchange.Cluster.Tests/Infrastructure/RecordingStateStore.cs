using Exchange.Grains.Storage;

namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>A state store (PostgreSQL, say) that remembers the names of the items its last write stored.</summary>
public sealed class RecordingStateStore(IVersionedStateStore inner) : IVersionedStateStore
{
    public IReadOnlyList<string> LastUpserts { get; private set; } = [];

    public Task<StoredState?> ReadAsync(string kind, string key, CancellationToken cancellationToken = default) => inner.ReadAsync(kind, key, cancellationToken);

    public Task<long> WriteAsync(string kind, string key, long expectedVersion, byte[] payload, StateItemChanges? items = null)
    {
        LastUpserts = items?.Upserts.Select(item => item.Name).ToList() ?? [];
        return inner.WriteAsync(kind, key, expectedVersion, payload, items);
    }
}
