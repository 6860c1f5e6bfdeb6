using CsCheck;
using Exchange.Domain.Fees;
using Exchange.Domain.Matching;
using Exchange.Domain.Orders;
using Exchange.Domain.Units;

namespace Exchange.Domain.Tests;

/// <summary>Properties that must hold for any stream of orders and cancels.</summary>
public class MatchingEngineProperties
{
    private static readonly string[] Owners = ["ann", "bob", "cid", "dan", "eve"];

    /// <summary>
    /// One step of a random session: an order to place, or a cancel (<see cref="ReduceBy"/> 0) or reduction of the n-th
    /// order placed so far.
    /// </summary>
    private sealed record Step(NewOrder? Order, int CancelPick, long ReduceBy = 0);

    private static readonly Gen<Step> StepGen =
        Gen.Frequency(
            (70, Gen.Select(Gen.OneOfConst(Owners), Gen.Bool, Gen.Long[95, 105], Gen.Long[1, 40], (owner, buy, price, qty) =>
                new Step(new NewOrder(0, owner, buy ? Side.Buy : Side.Sell, OrderType.Limit, TimeInForce.GoodTillCancel, new Price(price), new Seconds(qty)), 0))),
            (8, Gen.Select(Gen.OneOfConst(Owners), Gen.Bool, Gen.Long[95, 105], Gen.Long[1, 60], (owner, buy, price, qty) =>
                new Step(new NewOrder(0, owner, buy ? Side.Buy : Side.Sell, OrderType.Limit, TimeInForce.ImmediateOrCancel, new Price(price), new Seconds(qty)), 0))),
            (6, Gen.Select(Gen.OneOfConst(Owners), Gen.Bool, Gen.Long[95, 105], Gen.Long[1, 80], (owner, buy, price, qty) =>
                new Step(new NewOrder(0, owner, buy ? Side.Buy : Side.Sell, OrderType.Limit, TimeInForce.FillOrKill, new Price(price), new Seconds(qty)), 0))),
            (6, Gen.Select(Gen.OneOfConst(Owners), Gen.Bool, Gen.Long[0, 110], Gen.Long[1, 60], Gen.Bool, (owner, buy, protection, qty, fok) =>
                new Step(new NewOrder(0, owner, buy ? Side.Buy : Side.Sell, OrderType.Market, fok ? TimeInForce.FillOrKill : TimeInForce.ImmediateOrCancel, new Price(protection), new Seconds(qty)), 0))),
            (15, Gen.Int[0, 1000].Select(pick => new Step(null, pick))),
            (10, Gen.Select(Gen.Int[0, 1000], Gen.Long[1, 40], (pick, by) => new Step(null, pick, by))));

    private static readonly Gen<Step[]> SessionGen = StepGen.Array[1, 300];

    [Fact]
    public void Engine_agrees_with_the_naive_price_time_priority_model_and_keeps_every_invariant()
    {
        SessionGen.Sample(steps =>
        {
            var engine = new MatchingEngine();
            var model = new ReferenceBook();
            var report = new ExecutionReport();
            var originals = new Dictionary<long, long>();
            var filledByOrder = new Dictionary<long, long>();
            var cancelledByOrder = new Dictionary<long, long>();
            var placed = new List<long>();
            long nextId = 1;

            foreach (var step in steps)
            {
                if (step.Order is not { } template)
                {
                    if (placed.Count == 0)
                    {
                        continue;
                    }

                    var id = placed[step.CancelPick % placed.Count];
                    var reduceBy = Math.Min(step.ReduceBy, model.Remaining(id) ?? 0);
                    var cancelled = reduceBy > 0 ? engine.Reduce(id, new Seconds(reduceBy)) : engine.Cancel(id);
                    Assert.Equal(reduceBy > 0 ? model.Reduce(id, reduceBy) : model.Cancel(id), cancelled?.CancelledQuantity.Value);
                    if (cancelled is { } c)
                    {
                        cancelledByOrder[id] = cancelledByOrder.GetValueOrDefault(id) + c.CancelledQuantity.Value;
                    }
                }
                else
                {
                    var order = template with { OrderId = nextId++ };
                    var restingBefore = engine.Snapshot();
                    engine.Place(order, report);
                    var expected = model.Place(order);
                    placed.Add(order.OrderId);
                    originals[order.OrderId] = order.Quantity.Value;

                    // Price-time priority: identical fills, in identical order, to the model.
                    Assert.Equal(expected.Status, report.Status);
                    Assert.Equal(
                        expected.Fills.Select(f => (f.TradeNumber, f.MakerOrderId, f.TakerOrderId, f.Price, f.Quantity)),
                        report.Fills.Select(f => (f.TradeNumber, f.MakerOrderId, f.TakerOrderId, f.Price, f.Quantity)));
                    Assert.Equal(expected.SelfTradeCancelled, report.SelfTradeCancellations.Select(c => c.OrderId));

                    // Quantity conservation for the incoming order.
                    Assert.Equal(order.Quantity.Value, report.FilledQuantity.Value + report.RestingQuantity.Value + report.CancelledQuantity.Value);
                    Assert.Equal(report.FilledQuantity.Value, report.Fills.Sum(f => f.Quantity.Value));

                    // Fill-or-kill is all or nothing, and a killed order leaves the book exactly as it was.
                    if (order.TimeInForce == TimeInForce.FillOrKill)
                    {
                        Assert.True(report.FilledQuantity == order.Quantity || report.FilledQuantity == Seconds.Zero);
                        if (report.Status == OrderStatus.Killed)
                        {
                            Assert.Equal(restingBefore, engine.Snapshot());
                        }
                    }

                    // A fan never trades with itself.
                    Assert.All(report.Fills, f => Assert.NotEqual(f.MakerOwner, f.TakerOwner));

                    foreach (var fill in report.Fills)
                    {
                        filledByOrder[fill.MakerOrderId] = filledByOrder.GetValueOrDefault(fill.MakerOrderId) + fill.Quantity.Value;
                        filledByOrder[fill.TakerOrderId] = filledByOrder.GetValueOrDefault(fill.TakerOrderId) + fill.Quantity.Value;
                    }

                    foreach (var selfCancel in report.SelfTradeCancellations)
                    {
                        cancelledByOrder[selfCancel.OrderId] = cancelledByOrder.GetValueOrDefault(selfCancel.OrderId) + selfCancel.CancelledQuantity.Value;
                    }

                    if (report.CancelledQuantity.IsPositive)
                    {
                        cancelledByOrder[order.OrderId] = report.CancelledQuantity.Value;
                    }
                }

                // The book is never crossed after matching.
                if (engine.BestBid is { } bid && engine.BestAsk is { } ask)
                {
                    Assert.True(bid < ask, $"crossed book: bid {bid} >= ask {ask}");
                }

                Assert.Equal(
                    model.Resting.OrderBy(e => e.OrderId).Select(e => (e.OrderId, e.Remaining)),
                    engine.Snapshot().OrderBy(s => s.OrderId).Select(s => (s.OrderId, s.RemainingQuantity.Value)));
            }

            // Every order's quantity is accounted for: filled + still resting + cancelled = original.
            var resting = engine.Snapshot().ToDictionary(s => s.OrderId, s => s.RemainingQuantity.Value);
            foreach (var (id, original) in originals)
            {
                Assert.Equal(original, filledByOrder.GetValueOrDefault(id) + resting.GetValueOrDefault(id) + cancelledByOrder.GetValueOrDefault(id));
            }
        }, iter: 300);
    }

    [Fact]
    public void Fees_sum_exactly_buyers_pay_what_sellers_receive_plus_commission()
    {
        var fees = FeePolicy.Default;
        Gen.Select(Gen.Long[1, 2_000_000], Gen.Long[1, 2_000_000]).Array[1, 50].Sample(trades =>
        {
            Cash paid = Cash.Zero, received = Cash.Zero, commission = Cash.Zero;
            foreach (var (price, quantity) in trades)
            {
                var settlement = fees.Settle(new Price(price), new Seconds(quantity));
                var notional = (decimal)price * quantity;
                var exact = notional * 300m / 10_000m;
                Assert.Equal((long)Math.Floor(exact + 0.5m), settlement.Commission.Fen);
                Assert.Equal(settlement.BuyerPays, settlement.SellerReceives + settlement.Commission);
                paid += settlement.BuyerPays;
                received += settlement.SellerReceives;
                commission += settlement.Commission;
            }

            Assert.Equal(paid, received + commission);
        });
    }
}
