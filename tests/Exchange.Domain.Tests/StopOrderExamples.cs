using Exchange.Domain.Matching;
using Exchange.Domain.Orders;
using Exchange.Domain.Units;
using static Exchange.Domain.Tests.OrderFactory;

namespace Exchange.Domain.Tests;

public class StopOrderExamples
{
    private readonly MatchingEngine _engine = new(trackChanges: true);
    private readonly OrderFactory _orders = new();

    [Theory]
    [InlineData(Side.Sell, 95, 96, false)]
    [InlineData(Side.Sell, 95, 95, true)]
    [InlineData(Side.Sell, 95, 90, true)]
    [InlineData(Side.Buy, 105, 104, false)]
    [InlineData(Side.Buy, 105, 105, true)]
    [InlineData(Side.Buy, 105, 110, true)]
    public void A_sell_stop_is_reached_at_or_below_its_price_and_a_buy_stop_at_or_above(Side side, long stop, long lastTrade, bool reached) =>
        Assert.Equal(reached, StopRules.IsReached(side, new Price(stop), new Price(lastTrade)));

    [Fact]
    public void An_armed_stop_is_off_the_book_until_a_trade_reaches_it()
    {
        var stop = _engine.Arm(_orders.Limit("ann", Side.Sell, 94, 10), new Price(95));

        Assert.Null(_engine.BestAsk);
        Assert.Empty(_engine.Depth(Side.Sell, 10));
        Assert.Equal(1, _engine.StopOrderCount);
        Assert.Same(stop, _engine.FindStop(stop.OrderId));
        Assert.Null(_engine.Find(stop.OrderId));
        Assert.Null(_engine.TakeTriggered(new Price(96)));
        Assert.Same(stop, _engine.TakeTriggered(new Price(95)));
        Assert.Equal(0, _engine.StopOrderCount);
        Assert.Null(_engine.TakeTriggered(new Price(90)));
    }

    [Fact]
    public void A_triggered_stop_arrives_as_its_order_and_rests_under_the_same_id_with_new_time_priority()
    {
        Place(_engine, _orders.Limit("bob", Side.Buy, 94, 3));
        var stop = _engine.Arm(_orders.Limit("ann", Side.Sell, 94, 10), new Price(95));
        var later = _orders.Limit("cid", Side.Sell, 94, 5);
        Place(_engine, later);

        var triggered = _engine.TakeTriggered(new Price(95))!;
        var report = Place(_engine, triggered.Triggered(100, triggered.LimitPrice));

        // cid's sell arrived after the stop was armed but rested before it triggered: it is ahead in the queue.
        Assert.Equal(OrderStatus.Open, report.Status);
        Assert.Equal(new Seconds(10), report.RestingQuantity);
        var queue = _engine.OrdersInPriority(Side.Sell).Select(order => (order.OrderId, order.Reference)).ToList();
        Assert.Equal([(later.OrderId, later.Reference), (100, stop.Reference)], queue);
    }

    [Fact]
    public void A_triggered_stop_market_sell_takes_the_bids_down_to_its_bound()
    {
        Place(_engine, _orders.Limit("bob", Side.Buy, 94, 3));
        Place(_engine, _orders.Limit("cid", Side.Buy, 90, 3));
        Place(_engine, _orders.Limit("dee", Side.Buy, 85, 3));
        _engine.Arm(_orders.Market("ann", Side.Sell, 8, tif: TimeInForce.GoodTillCancel), new Price(95));

        var triggered = _engine.TakeTriggered(new Price(94))!;
        var report = Place(_engine, triggered.Triggered(100, new Price(88)));

        Assert.Equal([94L, 90L], report.Fills.Select(fill => fill.Price.FenPerSecond));
        Assert.All(report.Fills, fill => Assert.Equal("ann", fill.Seller));
        Assert.Equal(new Seconds(2), report.CancelledQuantity);
        Assert.Equal(new Price(85), _engine.BestBid);
    }

    [Fact]
    public void Stops_trigger_in_the_order_a_moving_price_reaches_them_then_oldest_first()
    {
        var lowSell = _engine.Arm(_orders.Limit("ann", Side.Sell, 80, 1), new Price(90));
        var highSell = _engine.Arm(_orders.Limit("bob", Side.Sell, 80, 1), new Price(95));
        var highSellLater = _engine.Arm(_orders.Limit("cid", Side.Sell, 80, 1), new Price(95));
        var buy = _engine.Arm(_orders.Limit("dee", Side.Buy, 120, 1), new Price(110));

        Assert.Equal(highSell.OrderId, _engine.TakeTriggered(new Price(89))!.OrderId);
        Assert.Equal(highSellLater.OrderId, _engine.TakeTriggered(new Price(89))!.OrderId);
        Assert.Equal(lowSell.OrderId, _engine.TakeTriggered(new Price(89))!.OrderId);
        Assert.Null(_engine.TakeTriggered(new Price(89)));
        Assert.Equal(buy.OrderId, _engine.TakeTriggered(new Price(111))!.OrderId);
    }

    [Fact]
    public void A_stop_is_cancelled_or_reduced_like_a_resting_order_and_changes_are_tracked()
    {
        var first = _engine.Arm(_orders.Limit("ann", Side.Buy, 120, 10), new Price(110));
        var second = _engine.Arm(_orders.Limit("ann", Side.Buy, 120, 10), new Price(111));
        Assert.Equal([first.OrderId, second.OrderId], _engine.TakeChangedOrderIds().Order());

        var reduced = _engine.Reduce(first.OrderId, new Seconds(4))!.Value;
        var cancelled = _engine.Cancel(second.OrderId)!.Value;

        Assert.Equal((new Seconds(4), new Seconds(6)), (reduced.CancelledQuantity, first.Quantity));
        Assert.Equal(new Seconds(10), cancelled.CancelledQuantity);
        Assert.Null(_engine.FindStop(second.OrderId));
        Assert.Equal([first.OrderId, second.OrderId], _engine.TakeChangedOrderIds().Order());
        Assert.Same(first, _engine.TakeTriggered(new Price(111)));
        Assert.Null(_engine.TakeTriggered(new Price(111)));
    }

    [Fact]
    public void Stops_survive_a_snapshot_and_restore_with_their_order_of_arrival()
    {
        var older = _engine.Arm(_orders.Limit("ann", Side.Sell, 80, 2), new Price(90));
        Place(_engine, _orders.Limit("bob", Side.Buy, 50, 1));
        var newer = _engine.Arm(_orders.Market("cid", Side.Sell, 3, tif: TimeInForce.Day), new Price(90));

        var restored = new MatchingEngine();
        foreach (var stop in _engine.StopOrders())
        {
            restored.RestoreStop(new StopOrder(stop.OrderId, stop.Owner, stop.Reference, stop.Side, stop.Type, stop.TimeInForce, stop.LimitPrice,
                stop.StopPrice, stop.Quantity, stop.Sequence));
        }

        Assert.Equal(older.OrderId, restored.TakeTriggered(new Price(90))!.OrderId);
        var second = restored.TakeTriggered(new Price(90))!;
        Assert.Equal((newer.OrderId, OrderType.Market, TimeInForce.Day, new Seconds(3)), (second.OrderId, second.Type, second.TimeInForce, second.Quantity));

        // A later order must not reuse an arrival number a restored stop holds.
        var rested = new ExecutionReport();
        restored.Place(_orders.Limit("dee", Side.Buy, 10, 1), rested);
        Assert.True(restored.OrdersInPriority(Side.Buy).Single().Sequence > newer.Sequence);
    }

    [Fact]
    public void An_order_id_is_either_resting_or_armed_never_both()
    {
        var resting = _orders.Limit("ann", Side.Buy, 50, 1);
        Place(_engine, resting);
        var stop = _engine.Arm(_orders.Limit("bob", Side.Buy, 120, 1), new Price(110));

        Assert.Throws<ArgumentException>(() => _engine.Arm(resting, new Price(110)));
        Assert.Throws<ArgumentException>(() => _engine.Place(stop.Triggered(stop.OrderId, stop.LimitPrice), new ExecutionReport()));
        Assert.Throws<ArgumentException>(() => _engine.Arm(_orders.Limit("bob", Side.Buy, 120, 1), new Price(0)));
    }
}
