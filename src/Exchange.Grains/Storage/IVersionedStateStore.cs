namespace Exchange.Grains.Storage;

/// <summary>
/// Serialized grain states, one row per grain, each write guarded by the version its writer read. Writes from many
/// grains that arrive together go to the database as one statement: a grain that writes on every request (a wallet)
/// would otherwise cost the database one transaction per write.
/// </summary>
public interface IVersionedStateStore
{
    /// <summary>The stored state, or null if this grain was never stored here.</summary>
    Task<StoredState?> ReadAsync(string kind, string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="payload"/> if storage is at <paramref name="expectedVersion"/> (0: nothing stored yet) and
    /// returns the new version; otherwise stores nothing and throws <see cref="Orleans.Storage.InconsistentStateException"/>.
    /// </summary>
    Task<long> WriteAsync(string kind, string key, long expectedVersion, byte[] payload);
}

public sealed record StoredState(long Version, byte[] Payload);
