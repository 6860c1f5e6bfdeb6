namespace Exchange.Grains.Storage;

/// <summary>
/// Serialized grain states, one row per grain plus optional named items (parts of the state that rarely change once
/// written, stored apart so a write need not repeat them). Each write is guarded by the version its writer read and
/// applies the state and its item changes together or not at all. Writes from many grains that arrive together go
/// to the database as one statement: a grain that writes on every request (a wallet) would otherwise cost the
/// database one transaction per write.
/// </summary>
public interface IVersionedStateStore
{
    /// <summary>The stored state with its items (by sort, then name), or null if this grain was never stored here.</summary>
    Task<StoredState?> ReadAsync(string kind, string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="payload"/> and <paramref name="items"/> if storage is at <paramref name="expectedVersion"/>
    /// (0: nothing stored yet) and returns the new version; otherwise stores nothing and throws
    /// <see cref="Orleans.Storage.InconsistentStateException"/>.
    /// </summary>
    Task<long> WriteAsync(string kind, string key, long expectedVersion, byte[] payload, StateItemChanges? items = null);
}

public sealed record StoredState(long Version, byte[] Payload, IReadOnlyList<StateItem> Items);

public sealed record StateItem(string Name, long Sort, byte[] Payload);

/// <param name="Upserts">Items that are new or replace the stored item of the same name.</param>
/// <param name="Removals">Names of items to delete.</param>
public sealed record StateItemChanges(IReadOnlyList<StateItem> Upserts, IReadOnlyList<string> Removals)
{
    public static readonly StateItemChanges None = new([], []);
}
