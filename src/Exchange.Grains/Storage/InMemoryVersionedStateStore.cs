namespace Exchange.Grains.Storage;

/// <summary>Grain states for a silo without a database.</summary>
public sealed class InMemoryVersionedStateStore : IVersionedStateStore
{
    private sealed record Stored(long Version, byte[] Payload, Dictionary<string, StateItem> Items);

    private readonly Dictionary<(string Kind, string Key), Stored> _states = new();
    private readonly Lock _lock = new();

    public Task<StoredState?> ReadAsync(string kind, string key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_states.GetValueOrDefault((kind, key)) is { } stored
                ? new StoredState(stored.Version, stored.Payload, stored.Items.Values.OrderBy(item => item.Sort).ThenBy(item => item.Name, StringComparer.Ordinal).ToList())
                : null);
        }
    }

    public Task<long> WriteAsync(string kind, string key, long expectedVersion, byte[] payload, StateItemChanges? items = null)
    {
        items ??= StateItemChanges.None;
        lock (_lock)
        {
            var current = _states.GetValueOrDefault((kind, key));
            if ((current?.Version ?? 0) != expectedVersion)
            {
                throw VersionConflict.For($"The {kind} '{key}'", expectedVersion);
            }

            // Callers hand payloads over for good (they serialize fresh ones for every write), so no copies are needed;
            // the dictionary is copied so a write is all or nothing.
            var stored = new Dictionary<string, StateItem>(current?.Items ?? [], StringComparer.Ordinal);
            foreach (var name in items.Removals)
            {
                stored.Remove(name);
            }

            foreach (var item in items.Upserts)
            {
                stored[item.Name] = item;
            }

            _states[(kind, key)] = new Stored(expectedVersion + 1, payload, stored);
            return Task.FromResult(expectedVersion + 1);
        }
    }
}
