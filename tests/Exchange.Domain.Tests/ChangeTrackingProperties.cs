using CsCheck;
using Exchange.Domain.Matching;
using Exchange.Domain.Orders;
using Exchange.Domain.Units;

namespace Exchange.Domain.Tests;

/// <summary>
/// A book persisted incrementally writes only the orders the engine reports as changed. That is only sound if
/// applying those changes to what was stored always reproduces exactly the engine's resting orders.
/// </summary>
public class ChangeTrackingProperties
{
    private static readonly string[] Owners = ["ann", "bob", "cid", "dan"];

    /// <summary>An order (or, with no order, a cancel of the n-th order so far), and whether to store changes after it.</summary>
    private sealed record Step(NewOrder? Order, int CancelPick, bool StoreAfter, bool StoreFails);

    private static readonly Gen<Step> StepGen =
        Gen.Select(
            Gen.Frequency(
                (75, Gen.Select(Gen.OneOfConst(Owners), Gen.Bool, Gen.Long[97, 103], Gen.Long[1, 30], Gen.Bool, (owner, buy, price, qty, ioc) =>
                    (NewOrder?)new NewOrder(0, owner, buy ? Side.Buy : Side.Sell, OrderType.Limit, ioc ? TimeInForce.ImmediateOrCancel : TimeInForce.GoodTillCancel, new Price(price), new Seconds(qty)))),
                (25, Gen.Const((NewOrder?)null))),
            Gen.Int[0, 1000], Gen.Int[0, 3], Gen.Int[0, 9],
            (order, pick, store, fail) => new Step(order, pick, store == 0, fail == 0));

    [Fact]
    public void Storing_only_the_changed_orders_always_reproduces_the_book()
    {
        StepGen.Array[1, 200].Sample(steps =>
        {
            var engine = new MatchingEngine(trackChanges: true);
            var stored = new Dictionary<long, RestingOrderSnapshot>();
            var placed = new List<long>();
            long nextId = 1;

            foreach (var step in steps)
            {
                if (step.Order is { } template)
                {
                    var order = template with { OrderId = nextId++ };
                    engine.Place(order, new ExecutionReport());
                    placed.Add(order.OrderId);
                }
                else if (placed.Count > 0)
                {
                    engine.Cancel(placed[step.CancelPick % placed.Count]);
                }

                if (step.StoreAfter)
                {
                    var changed = engine.TakeChangedOrderIds();
                    if (step.StoreFails)
                    {
                        // A failed write stores nothing; its changes must go out with the next one.
                        engine.MarkChanged(changed);
                        continue;
                    }

                    Store(engine, changed, stored);
                }
            }

            Store(engine, engine.TakeChangedOrderIds(), stored);
            Assert.Equal(engine.Snapshot(), stored.Values.OrderBy(order => order.Sequence));

            // And what was stored restores an identical book.
            var restored = new MatchingEngine(trackChanges: true);
            foreach (var order in stored.Values.OrderBy(order => order.Sequence))
            {
                restored.Restore(order);
            }

            Assert.Equal(engine.Snapshot(), restored.Snapshot());
            Assert.Empty(restored.TakeChangedOrderIds());
        }, iter: 500);
    }

    [Fact]
    public void An_engine_that_does_not_track_changes_says_so()
    {
        var engine = new MatchingEngine();
        Assert.Throws<InvalidOperationException>(() => engine.TakeChangedOrderIds());
    }

    private static void Store(MatchingEngine engine, HashSet<long> changed, Dictionary<long, RestingOrderSnapshot> stored)
    {
        foreach (var id in changed)
        {
            if (engine.Find(id) is { } order)
            {
                stored[id] = new RestingOrderSnapshot(order.OrderId, order.Owner, order.Reference, order.Side, order.Price, order.OriginalQuantity, order.RemainingQuantity, order.Sequence);
            }
            else
            {
                stored.Remove(id);
            }
        }
    }
}
