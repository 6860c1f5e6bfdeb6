namespace Exchange.Grains.Storage;

/// <summary>Grain states for a silo without a database.</summary>
public sealed class InMemoryVersionedStateStore : IVersionedStateStore
{
    private readonly Dictionary<(string Kind, string Key), StoredState> _states = new();
    private readonly Lock _lock = new();

    public Task<StoredState?> ReadAsync(string kind, string key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_states.GetValueOrDefault((kind, key)));
        }
    }

    public Task<long> WriteAsync(string kind, string key, long expectedVersion, byte[] payload)
    {
        lock (_lock)
        {
            if ((_states.GetValueOrDefault((kind, key))?.Version ?? 0) != expectedVersion)
            {
                throw VersionConflict.For($"The {kind} '{key}'", expectedVersion);
            }

            // Callers hand over the payload for good (they serialize a fresh one for every write), so no copy is needed.
            _states[(kind, key)] = new StoredState(expectedVersion + 1, payload);
            return Task.FromResult(expectedVersion + 1);
        }
    }
}
