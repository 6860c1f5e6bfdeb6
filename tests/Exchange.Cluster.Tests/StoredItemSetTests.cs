using Exchange.Grains.State;
using Exchange.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Exchange.Cluster.Tests;

/// <summary>
/// Whatever a state's items go through (added, replaced, removed, writes failing), applying each successful write's
/// upserts and removals to storage leaves storage holding exactly the state's items.
/// </summary>
public class StoredItemSetTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Immutable_items_storage_follows_the_state_through_random_changes_and_failed_writes(int seed)
    {
        var random = new Random(seed);
        var set = StoredItemSet.OfImmutable<string>("item:");
        var state = new Dictionary<string, string>();
        var storage = new Dictionary<string, string>();
        for (var step = 0; step < 400; step++)
        {
            for (var change = random.Next(4); change > 0; change--)
            {
                var id = $"k{random.Next(30)}";
                if (random.Next(3) == 0)
                {
                    state.Remove(id);
                }
                else
                {
                    // A new object every time: an item that changes is replaced, never mutated.
                    state[id] = new string($"{id}@{step}".AsSpan());
                }
            }

            WriteAndCheck(set, state.Select(pair => (pair.Key, 0L, pair.Value)), storage, random.Next(5) > 0, () => state.ToDictionary());
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Stamped_items_are_rewritten_exactly_when_their_stamp_changes(int seed)
    {
        var random = new Random(seed);
        var set = new StoredItemSet<Counter, long>("counter:", counter => counter.Value, EqualityComparer<long>.Default);
        var state = new Dictionary<string, Counter>();
        var storage = new Dictionary<string, string>();
        for (var step = 0; step < 400; step++)
        {
            var id = $"c{random.Next(20)}";
            switch (random.Next(3))
            {
                case 0: state.Remove(id); break;
                case 1: state[id] = new Counter { Value = step }; break;
                default: if (state.TryGetValue(id, out var counter)) { counter.Value++; } break;   // mutated in place
            }

            WriteAndCheck(set, state.Select(pair => (pair.Key, 0L, pair.Value)), storage, random.Next(5) > 0,
                () => state.ToDictionary(pair => pair.Key, pair => pair.Value.Value.ToString()));
        }
    }

    [GenerateSerializer]
    public sealed class Counter
    {
        [Id(0)] public long Value { get; set; }

        public override string ToString() => Value.ToString();
    }

    private static void WriteAndCheck<T, TStamp>(StoredItemSet<T, TStamp> set, IEnumerable<(string, long, T)> current,
        Dictionary<string, string> storage, bool writeSucceeds, Func<Dictionary<string, string>> expected)
    {
        var upserts = new List<StateItem>();
        var removals = new List<string>();
        set.Compare(current, Serializer, upserts, removals);
        Assert.Empty(upserts.Select(item => item.Name).Intersect(removals));
        if (!writeSucceeds)
        {
            return;
        }

        foreach (var name in removals)
        {
            Assert.True(storage.Remove(IdOf(name)), $"removed {name}, which storage does not hold");
        }

        foreach (var item in upserts)
        {
            storage[IdOf(item.Name)] = Serializer.Deserialize<T>(item.Payload)!.ToString()!;
        }

        set.Written();
        Assert.Equal(expected().OrderBy(pair => pair.Key), storage.OrderBy(pair => pair.Key));
    }

    private static string IdOf(string name) => name[(name.IndexOf(':') + 1)..];
}
