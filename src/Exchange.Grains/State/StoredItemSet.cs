using Exchange.Grains.Storage;
using Orleans.Serialization;

namespace Exchange.Grains.State;

/// <summary>
/// One kind of item of a grain's state (names starting with <paramref name="prefix"/>) as storage holds it, by object.
/// Item values never change once stored (they are immutable, or replaced by a new object when they change), so an
/// item needs writing exactly when the state holds a different object under its name than the last successful write
/// stored, and deleting when the state no longer holds it. Comparing whole sets, rather than tracking each change,
/// means no code path that changes the state can be missed.
/// </summary>
public sealed class StoredItemSet<T>(string prefix) where T : class
{
    private Dictionary<string, T> _stored = new(StringComparer.Ordinal);
    private Dictionary<string, T>? _beingWritten;

    public bool Holds(StateItem item) => item.Name.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>Records an item read from storage; returns its id (its name without the prefix).</summary>
    public string Loaded(StateItem item, T value)
    {
        _stored[item.Name] = value;
        return item.Name[prefix.Length..];
    }

    /// <summary>
    /// Adds what differs between <paramref name="current"/> and storage to <paramref name="upserts"/> and
    /// <paramref name="removals"/>; call <see cref="Written"/> once the write that carries them has succeeded.
    /// </summary>
    public void Compare(IEnumerable<(string Id, long Sort, T Value)> current, Serializer serializer, List<StateItem> upserts, List<string> removals)
    {
        var items = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (id, sort, value) in current)
        {
            var name = prefix + id;
            items[name] = value;
            if (!ReferenceEquals(_stored.GetValueOrDefault(name), value))
            {
                upserts.Add(new StateItem(name, sort, serializer.SerializeToArray(value)));
            }
        }

        removals.AddRange(_stored.Keys.Where(name => !items.ContainsKey(name)));
        _beingWritten = items;
    }

    /// <summary>The last compared set is in storage now. A grain writes one at a time, so there is only ever one.</summary>
    public void Written()
    {
        _stored = _beingWritten ?? _stored;
        _beingWritten = null;
    }
}
