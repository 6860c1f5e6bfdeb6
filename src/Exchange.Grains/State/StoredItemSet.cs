using Exchange.Grains.Storage;
using Orleans.Serialization;

namespace Exchange.Grains.State;

/// <summary>
/// One kind of item of a grain's state (names starting with <paramref name="prefix"/>) as storage holds it. An item
/// needs writing when its stamp differs from the stamp of what the last successful write stored, and deleting when
/// the state no longer holds it. <see cref="Compare"/> looks at every item the state holds, so no code path that
/// changes the state can be missed; <see cref="CompareTouched"/> looks only at the items a state that records its
/// changes says it touched. The stamp makes either cheap: for immutable items it is the object itself (a changed item
/// is a new object), for a mutable one a value of every field that can change after creation.
/// </summary>
/// <param name="stampsIdentifyItems">True when no two items can have equal stamps (the stamp is the item object):
/// an item is then recognised by its stamp alone, without hashing its id.</param>
public sealed class StoredItemSet<T, TStamp>(string prefix, Func<T, TStamp> stampOf, IEqualityComparer<TStamp> sameStamp, bool stampsIdentifyItems = false)
{
    private readonly Dictionary<string, TStamp> _stored = new(StringComparer.Ordinal);
    private readonly HashSet<TStamp>? _storedStamps = stampsIdentifyItems ? new(sameStamp) : null;
    private readonly List<(string Id, TStamp Stamp)> _upsertsBeingWritten = [];
    private readonly List<string> _removalsBeingWritten = [];

    public bool Holds(StateItem item) => item.Name.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>Records an item read from storage; returns its id (its name without the prefix).</summary>
    public string Loaded(StateItem item, T value)
    {
        var id = item.Name[prefix.Length..];
        Remember(id, stampOf(value));
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
            if (_storedStamps?.Contains(stamp) == true)
            {
                // Stored exactly like this (under this id: an item object is never held under another).
                storedStillHeld++;
                continue;
            }

            if (_storedStamps is null && _stored.TryGetValue(id, out var storedStamp))
            {
                storedStillHeld++;
                if (sameStamp.Equals(storedStamp, stamp))
                {
                    continue;
                }
            }

            Upsert(id, sort, value!, stamp, serializer, upserts);
        }

        if (storedStillHeld < _stored.Count)
        {
            IEnumerable<string> gone;
            if (_storedStamps is not null)
            {
                // By stamp, which hashes cheaply; an id whose item was replaced is being upserted, not removed.
                var heldStamps = current.Select(item => stampOf(item.Value)).ToHashSet(sameStamp);
                var replaced = _upsertsBeingWritten.Select(upsert => upsert.Id).ToHashSet(StringComparer.Ordinal);
                gone = _stored.Where(stored => !heldStamps.Contains(stored.Value) && !replaced.Contains(stored.Key)).Select(stored => stored.Key);
            }
            else
            {
                var heldIds = current.Select(item => item.Id).ToHashSet(StringComparer.Ordinal);
                gone = _stored.Keys.Where(id => !heldIds.Contains(id));
            }

            foreach (var id in gone.ToList())
            {
                Remove(id, removals);
            }
        }
    }

    /// <summary>
    /// Like <see cref="Compare"/>, but over the items the state recorded as touched since the last successful write
    /// (each id once, with whether the state still holds it): costs what changed, not what the state holds.
    /// </summary>
    public void CompareTouched(IEnumerable<(string Id, bool Held, long Sort, T? Value)> touched, Serializer serializer, List<StateItem> upserts, List<string> removals)
    {
        _upsertsBeingWritten.Clear();
        _removalsBeingWritten.Clear();
        foreach (var (id, held, sort, value) in touched)
        {
            if (!held)
            {
                if (_stored.ContainsKey(id))
                {
                    Remove(id, removals);
                }

                continue;
            }

            var stamp = stampOf(value!);
            if (_stored.TryGetValue(id, out var storedStamp) && sameStamp.Equals(storedStamp, stamp))
            {
                continue;
            }

            Upsert(id, sort, value!, stamp, serializer, upserts);
        }
    }

    /// <summary>The last compared changes are in storage now. A grain writes one at a time, so there is only ever one.</summary>
    public void Written()
    {
        foreach (var (id, stamp) in _upsertsBeingWritten)
        {
            Remember(id, stamp);
        }

        foreach (var id in _removalsBeingWritten)
        {
            if (_stored.Remove(id, out var stamp))
            {
                _storedStamps?.Remove(stamp);
            }
        }

        _upsertsBeingWritten.Clear();
        _removalsBeingWritten.Clear();
    }

    private void Upsert(string id, long sort, T value, TStamp stamp, Serializer serializer, List<StateItem> upserts)
    {
        upserts.Add(new StateItem(prefix + id, sort, serializer.SerializeToArray(value)));
        _upsertsBeingWritten.Add((id, stamp));
    }

    private void Remove(string id, List<string> removals)
    {
        removals.Add(prefix + id);
        _removalsBeingWritten.Add(id);
    }

    private void Remember(string id, TStamp stamp)
    {
        if (_storedStamps is not null)
        {
            if (_stored.TryGetValue(id, out var replaced))
            {
                _storedStamps.Remove(replaced);
            }

            _storedStamps.Add(stamp);
        }

        _stored[id] = stamp;
    }
}

/// <summary>Items that never change once stored (immutable, or replaced by a new object): the object is the stamp.</summary>
public static class StoredItemSet
{
    public static StoredItemSet<T, T> OfImmutable<T>(string prefix) where T : class =>
        new(prefix, value => value, ReferenceEqualityComparer.Instance, stampsIdentifyItems: true);
}
