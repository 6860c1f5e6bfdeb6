using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace Exchange.Grains.State;

/// <summary>
/// A grain's state as one row of <see cref="IVersionedStateStore"/>, so its writes join the batches of every other
/// grain on the silo instead of costing a transaction each. Subclasses may keep parts that rarely change once written
/// as items of their own (see <see cref="StoredItemSet{T, TStamp}"/>) by overriding the item hooks; by default the whole
/// state is the row. A grain the store does not know yet starts from the grain-storage row it was kept in before,
/// which its first write supersedes.
/// </summary>
public class VersionedGrainState<TState>(
    IVersionedStateStore store,
    Serializer serializer,
    string kind,
    string key,
    IPersistentState<TState> legacyRow,
    ILogger logger)
    where TState : class
{
    private long _version;
    private SupersededStateRow<TState>? _legacy;

    protected Serializer Serializer => serializer;

    /// <summary>The stored state with its items, or, if the store has never seen this grain, its old grain-storage state.</summary>
    public async Task<TState> ReadAsync(CancellationToken cancellationToken)
    {
        if (await store.ReadAsync(kind, key, cancellationToken) is not { } stored)
        {
            _legacy = new SupersededStateRow<TState>(legacyRow, logger);
            return _legacy.Take();
        }

        _version = stored.Version;
        var state = Deserialize<TState>(stored.Payload);
        foreach (var item in stored.Items)
        {
            Load(state, item);
        }

        Loaded(state);
        return state;
    }

    /// <summary>
    /// Takes what to store synchronously (the grain goes on changing its state while the write is in flight): the
    /// state without its items, and the items that differ from what storage holds.
    /// </summary>
    public Task WriteAsync(TState state)
    {
        var upserts = new List<StateItem>();
        var removals = new List<string>();
        byte[] payload;
        try
        {
            Compare(state, upserts, removals);
            payload = SerializeWithoutItems(state);
        }
        catch
        {
            NotWritten(state);
            throw;
        }

        return StoreAsync(state, payload, new StateItemChanges(upserts, removals));
    }

    /// <summary>Puts one stored item back into <paramref name="state"/>.</summary>
    protected virtual void Load(TState state, StateItem item)
    {
    }

    /// <summary>Every stored item is back in <paramref name="state"/>: derives what is kept only as part of them.</summary>
    protected virtual void Loaded(TState state)
    {
    }

    /// <summary>Adds the items of <paramref name="state"/> that differ from storage (see <see cref="StoredItemSet{T, TStamp}.Compare"/>).</summary>
    protected virtual void Compare(TState state, List<StateItem> upserts, List<string> removals)
    {
    }

    /// <summary>The write that carried the last comparison succeeded (see <see cref="StoredItemSet{T, TStamp}.Written"/>).</summary>
    protected virtual void Written()
    {
    }

    /// <summary>The write that carried the last comparison failed: storage holds what it held before.</summary>
    protected virtual void NotWritten(TState state)
    {
    }

    protected virtual byte[] SerializeWithoutItems(TState state) => serializer.SerializeToArray(state);

    protected T Deserialize<T>(byte[] payload) =>
        serializer.Deserialize<T>(payload) ?? throw new InvalidDataException($"Part of the stored state of {kind} '{key}' is empty.");

    private async Task StoreAsync(TState state, byte[] payload, StateItemChanges items)
    {
        try
        {
            _version = await store.WriteAsync(kind, key, _version, payload, items);
        }
        catch
        {
            NotWritten(state);
            throw;
        }

        Written();
        if (_legacy is not null)
        {
            await _legacy.SupersededAsync($"{kind} '{key}'");
        }
    }
}
