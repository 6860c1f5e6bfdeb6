using Exchange.Grains.Storage;
using Orleans.Serialization;

namespace Exchange.Grains.State;

/// <summary>
/// One kind of item of a grain's state (names starting with <paramref name="prefix"/>) as storage holds it. An item
/// needs writing when its stamp differs from the stamp of what the last successful write stored, and deleting when
/// the state no longer holds it. Comparing whole sets, rather than tracking each change, means no code path that
/// changes the state can be missed; the stamp makes the comparison cheap: for immutable items it is the object itself
/// (a changed item is a new object), for a mutable one a value of every field that can change after creation.
/// </summary>
public sealed class StoredItemSet<T, TStamp>(string prefix, Func<T, TStamp> stampOf, IEqualityComparer<TStamp> sameStamp)
{
    private readonly Dictionary<string, TStamp> _stored = new(StringComparer.Ordinal);
    private readonly List<(string Id, TStamp Stamp)> _upsertsBeingWritten = [];
    private readonly List<string> _removalsBeingWritten = [];

    public bool Holds(StateItem item) => item.Name.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>Records an item read from storage; returns its id (its name without the prefix).</summary>
    public string Loaded(StateItem item, T value)
    {
        var id = item.Name[prefix.Length..];
        _stored[id] = stampOf(value);
        return id;
    }

    /// <summary>
    /// Adds what differs between <paramref name="current"/> (which is enumerated once, and a second time only when
    /// something was removed) and storage to <paramref name="upserts"/> and <paramref name="removals"/>; call
    /// <see cref="Written"/> once the write that carries them has succeeded.
    /// </summary>
    public void Compare(IEnumerable<(string Id, long Sort, T Value)> current, Serializer serializer, List<StateItem> upserts, List<string> removals)
    {
        _upsertsBeingWritten.Clear();
        _removalsBeingWritten.Clear();
        var storedStillHeld = 0;
        foreach (var (id, sort, value) in current)
        {
            var stamp = stampOf(value);
            if (_stored.TryGetValue(id, out var storedStamp))
            {
                storedStillHeld++;
                if (sameStamp.Equals(storedStamp, stamp))
                {
                    continue;
                }
            }

            upserts.Add(new StateItem(prefix + id, sort, serializer.SerializeToArray(value)));
            _upsertsBeingWritten.Add((id, stamp));
        }

        if (storedStillHeld < _stored.Count)
        {
            var held = current.Select(item => item.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var id in _stored.Keys.Where(id => !held.Contains(id)))
            {
                removals.Add(prefix + id);
                _removalsBeingWritten.Add(id);
            }
        }
    }

    /// <summary>The last compared changes are in storage now. A grain writes one at a time, so there is only ever one.</summary>
    public void Written()
    {
        foreach (var (id, stamp) in _upsertsBeingWritten)
        {
            _stored[id] = stamp;
        }

        foreach (var id in _removalsBeingWritten)
        {
            _stored.Remove(id);
        }

        _upsertsBeingWritten.Clear();
        _removalsBeingWritten.Clear();
    }
}

/// <summary>Items that never change once stored (immutable, or replaced by a new object): the object is the stamp.</summary>
public static class StoredItemSet
{
    public static StoredItemSet<T, T> OfImmutable<T>(string prefix) where T : class =>
        new(prefix, value => value, ReferenceEqualityComparer.Instance);
}
