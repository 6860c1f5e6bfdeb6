namespace Exchange.Grains.Storage;

/// <summary>Grain states for a silo without a database.</summary>
public sealed class InMemoryVersionedStateStore : IVersionedStateStore
{
    private sealed class Stored
    {
        public long Version { get; set; }

        public byte[] Payload { get; set; } = [];

        public Dictionary<string, StateItem> Items { get; } = new(StringComparer.Ordinal);
    }

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
            var stored = _states.GetValueOrDefault((kind, key));
            if ((stored?.Version ?? 0) != expectedVersion)
            {
                return Task.FromException<long>(VersionConflict.For($"The {kind} '{key}'", expectedVersion));
            }

            // Past the version check nothing can fail, so changing in place under the lock is all or nothing. Callers
            // hand payloads over for good (they serialize fresh ones for every write), so no copies are needed.
            if (stored is null)
            {
                _states[(kind, key)] = stored = new Stored();
            }

            stored.Version = expectedVersion + 1;
            stored.Payload = payload;
            foreach (var name in items.Removals)
            {
                stored.Items.Remove(name);
            }

            foreach (var item in items.Upserts)
            {
                stored.Items[item.Name] = item;
            }

            return Task.FromResult(stored.Version);
        }
    }
}
