using Exchange.Grains.Storage;
using Orleans.Serialization;

namespace Exchange.Grains.State;

/// <summary>
/// A grain state kept in <see cref="IVersionedStateStore"/> as a small row rewritten on every write plus items for
/// the parts that rarely change once written (see <see cref="StoredItemSet{T}"/>). Subclasses say which parts those
/// are; this class reads, compares and writes them.
/// </summary>
public abstract class ItemisedPersistence<TState>(IVersionedStateStore store, Serializer serializer, string kind, string key)
    where TState : class
{
    private long _version;

    protected Serializer Serializer => serializer;

    /// <summary>The stored state with its items, or null if the store has never seen this grain.</summary>
    public async Task<TState?> ReadAsync(CancellationToken cancellationToken)
    {
        if (await store.ReadAsync(kind, key, cancellationToken) is not { } stored)
        {
            return null;
        }

        _version = stored.Version;
        var state = Deserialize<TState>(stored.Payload);
        foreach (var item in stored.Items)
        {
            Load(state, item);
        }

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
        Compare(state, upserts, removals);
        return StoreAsync(SerializeWithoutItems(state), new StateItemChanges(upserts, removals));
    }

    /// <summary>Puts one stored item back into <paramref name="state"/>.</summary>
    protected abstract void Load(TState state, StateItem item);

    /// <summary>Adds the items of <paramref name="state"/> that differ from storage (see <see cref="StoredItemSet{T}.Compare"/>).</summary>
    protected abstract void Compare(TState state, List<StateItem> upserts, List<string> removals);

    /// <summary>The write that carried the last comparison succeeded (see <see cref="StoredItemSet{T}.Written"/>).</summary>
    protected abstract void Written();

    protected abstract byte[] SerializeWithoutItems(TState state);

    protected T Deserialize<T>(byte[] payload) =>
        serializer.Deserialize<T>(payload) ?? throw new InvalidDataException($"Part of the stored state of {kind} '{key}' is empty.");

    private async Task StoreAsync(byte[] payload, StateItemChanges items)
    {
        _version = await store.WriteAsync(kind, key, _version, payload, items);
        Written();
    }
}
