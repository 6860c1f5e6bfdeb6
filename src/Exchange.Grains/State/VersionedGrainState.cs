using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace Exchange.Grains.State;

/// <summary>
/// A grain's whole state as one row of <see cref="IVersionedStateStore"/>, so its writes join the batches of every
/// other grain on the silo instead of costing a transaction each. A grain the store does not know yet starts from
/// the grain-storage row it was kept in before, which its first write supersedes.
/// </summary>
public sealed class VersionedGrainState<T>(
    IVersionedStateStore store,
    Serializer serializer,
    string kind,
    string key,
    IPersistentState<T> legacyRow,
    ILogger logger)
    where T : class
{
    private long _version;
    private SupersededStateRow<T>? _legacy;

    public async Task<T> ReadAsync(CancellationToken cancellationToken)
    {
        if (await store.ReadAsync(kind, key, cancellationToken) is { } stored)
        {
            _version = stored.Version;
            return serializer.Deserialize<T>(stored.Payload) ?? throw new InvalidDataException($"The stored state of {kind} '{key}' is empty.");
        }

        _legacy = new SupersededStateRow<T>(legacyRow, logger);
        return _legacy.Take();
    }

    /// <summary>Serializes <paramref name="state"/> before it first awaits, so later changes cannot leak into this write.</summary>
    public Task WriteAsync(T state) => StoreAsync(serializer.SerializeToArray(state));

    private async Task StoreAsync(byte[] payload)
    {
        _version = await store.WriteAsync(kind, key, _version, payload);
        if (_legacy is not null)
        {
            await _legacy.SupersededAsync($"{kind} '{key}'");
        }
    }
}
