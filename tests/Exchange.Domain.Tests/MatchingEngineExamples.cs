using Exchange.Domain.Matching;
using Exchange.Domain.Orders;
using Exchange.Domain.Units;
using static Exchange.Domain.Tests.OrderFactory;

namespace Exchange.Domain.Tests;

public class MatchingEngineExamples
{
    private readonly MatchingEngine _engine = new();
    private readonly OrderFactory _orders = new();

    [Fact]
    public void Limit_order_that_does_not_cross_rests_on_the_book()
    {
        var report = Place(_engine, _orders.Limit("ann", Side.Buy, 100, 10));

        Assert.Equal(OrderStatus.Open, report.Status);
        Assert.Equal(new Seconds(10), report.RestingQuantity);
        Assert.Empty(report.Fills);
        Assert.Equal(new Price(100), _engine.BestBid);
        Assert.Null(_engine.BestAsk);
    }

    [Fact]
    public void An_order_for_the_day_trades_and_rests_like_a_good_till_cancel_one()
    {
        Place(_engine, _orders.Limit("ann", Side.Sell, 101, 4));

        var report = Place(_engine, _orders.Limit("bob", Side.Buy, 101, 10, TimeInForce.Day));

        Assert.Equal((OrderStatus.PartiallyFilled, new Seconds(4), new Seconds(6)), (report.Status, report.FilledQuantity, report.RestingQuantity));
        Assert.Equal(new Price(101), _engine.BestBid);
    }

    [Fact]
    public void Incoming_buy_takes_the_cheapest_asks_first_at_their_prices()
    {
        Place(_engine, _orders.Limit("ann", Side.Sell, 102, 5));
        Place(_engine, _orders.Limit("bob", Side.Sell, 101, 5));

        var report = Place(_engine, _orders.Limit("cid", Side.Buy, 105, 8));

        Assert.Equal(OrderStatus.Filled, report.Status);
        Assert.Collection(report.Fills,
            fill => { Assert.Equal(new Price(101), fill.Price); Assert.Equal(new Seconds(5), fill.Quantity); Assert.Equal("bob", fill.Seller); },
            fill => { Assert.Equal(new Price(102), fill.Price); Assert.Equal(new Seconds(3), fill.Quantity); Assert.Equal("ann", fill.Seller); });
        Assert.Equal(new Price(102), _engine.BestAsk);
        Assert.Equal(new Seconds(2), _engine.Depth(Side.Sell, 1)[0].Quantity);
    }

    [Fact]
    public void Orders_at_the_same_price_fill_oldest_first()
    {
        var first = _orders.Limit("ann", Side.Sell, 100, 5);
        var second = _orders.Limit("bob", Side.Sell, 100, 5);
        Place(_engine, first);
        Place(_engine, second);

        var report = Place(_engine, _orders.Limit("cid", Side.Buy, 100, 7));

        Assert.Equal([first.OrderId, second.OrderId], report.Fills.Select(fill => fill.MakerOrderId));
        Assert.Equal([5L, 2L], report.Fills.Select(fill => fill.Quantity.Value));
    }

    [Fact]
    public void Limit_order_partially_filled_rests_the_remainder()
    {
        Place(_engine, _orders.Limit("ann", Side.Sell, 100, 4));

        var report = Place(_engine, _orders.Limit("bob", Side.Buy, 100, 10));

        Assert.Equal(OrderStatus.PartiallyFilled, report.Status);
        Assert.Equal(new Seconds(4), report.FilledQuantity);
        Assert.Equal(new Seconds(6), report.RestingQuantity);
        Assert.Equal(new Price(100), _engine.BestBid);
    }

    [Fact]
    public void Immediate_or_cancel_never_rests_its_remainder()
    {
        Place(_engine, _orders.Limit("ann", Side.Sell, 100, 4));

        var report = Place(_engine, _orders.Limit("bob", Side.Buy, 100, 10, TimeInForce.ImmediateOrCancel));

        Assert.Equal(OrderStatus.Cancelled, report.Status);
        Assert.Equal(new Seconds(4), report.FilledQuantity);
        Assert.Equal(new Seconds(6), report.CancelledQuantity);
        Assert.Null(_engine.BestBid);
    }

    [Fact]
    public void Fill_or_kill_that_cannot_fill_completely_trades_nothing_and_leaves_the_book_alone()
    {
        Place(_engine, _orders.Limit("ann", Side.Sell, 100, 4));
        Place(_engine, _orders.Limit("bob", Side.Sell, 101, 4));

        var report = Place(_engine, _orders.Limit("cid", Side.Buy, 101, 9, TimeInForce.FillOrKill));

        Assert.Equal(OrderStatus.Killed, report.Status);
        Assert.Empty(report.Fills);
        Assert.Equal(new Seconds(9), report.CancelledQuantity);
        Assert.Equal(2, _engine.RestingOrderCount);
    }

    [Fact]
    public void Fill_or_kill_that_can_fill_takes_everything_it_needs()
    {
        Place(_engine, _orders.Limit("ann", Side.Sell, 100, 4));
        Place(_engine, _orders.Limit("bob", Side.Sell, 101, 4));

        var report = Place(_engine, _orders.Limit("cid", Side.Buy, 101, 8, TimeInForce.FillOrKill));

        Assert.Equal(OrderStatus.Filled, report.Status);
        Assert.Equal(0, _engine.RestingOrderCount);
    }

    [Fact]
    public void Fill_or_kill_does_not_count_own_resting_orders_as_liquidity()
    {
        Place(_engine, _orders.Limit("cid", Side.Sell, 100, 10));
        Place(_engine, _orders.Limit("ann", Side.Sell, 100, 2));

        var report = Place(_engine, _orders.Limit("cid", Side.Buy, 100, 5, TimeInForce.FillOrKill));

        Assert.Equal(OrderStatus.Killed, report.Status);
        Assert.Equal(2, _engine.RestingOrderCount);
    }

    [Fact]
    public void Market_order_trades_what_it_can_and_cancels_the_rest()
    {
        Place(_engine, _orders.Limit("ann", Side.Buy, 99, 3));
        Place(_engine, _orders.Limit("bob", Side.Buy, 98, 3));

        var report = Place(_engine, _orders.Market("cid", Side.Sell, 10));

        Assert.Equal(new Seconds(6), report.FilledQuantity);
        Assert.Equal(new Seconds(4), report.CancelledQuantity);
        Assert.Equal(OrderStatus.Cancelled, report.Status);
        Assert.Equal(0, _engine.RestingOrderCount);
    }

    [Fact]
    public void Market_order_never_trades_beyond_its_protection_price()
    {
        Place(_engine, _orders.Limit("ann", Side.Sell, 100, 3));
        Place(_engine, _orders.Limit("bob", Side.Sell, 120, 3));

        var report = Place(_engine, _orders.Market("cid", Side.Buy, 6, protectionPrice: 110));

        Assert.Equal(new Seconds(3), report.FilledQuantity);
        Assert.All(report.Fills, fill => Assert.True(fill.Price.FenPerSecond <= 110));
        Assert.Equal(new Price(120), _engine.BestAsk);
    }

    [Fact]
    public void Self_trade_cancels_the_resting_order_instead_of_filling_it()
    {
        var own = _orders.Limit("ann", Side.Sell, 100, 5);
        Place(_engine, own);
        Place(_engine, _orders.Limit("bob", Side.Sell, 100, 5));

        var report = Place(_engine, _orders.Limit("ann", Side.Buy, 100, 5));

        var cancelled = Assert.Single(report.SelfTradeCancellations);
        Assert.Equal(own.OrderId, cancelled.OrderId);
        Assert.Equal(new Seconds(5), cancelled.CancelledQuantity);
        var fill = Assert.Single(report.Fills);
        Assert.Equal("bob", fill.Seller);
        Assert.Equal("ann", fill.Buyer);
        Assert.False(_engine.Contains(own.OrderId));
    }

    [Fact]
    public void Cancel_removes_a_resting_order_and_reports_its_unfilled_quantity()
    {
        var order = _orders.Limit("ann", Side.Buy, 100, 5);
        Place(_engine, order);
        Place(_engine, _orders.Limit("bob", Side.Sell, 100, 2));

        var cancelled = _engine.Cancel(order.OrderId);

        Assert.NotNull(cancelled);
        Assert.Equal(new Seconds(3), cancelled.Value.CancelledQuantity);
        Assert.Null(_engine.BestBid);
        Assert.Null(_engine.Cancel(order.OrderId));
    }

    [Fact]
    public void Reducing_a_resting_order_keeps_its_place_in_the_queue()
    {
        var first = _orders.Limit("ann", Side.Sell, 100, 5);
        var second = _orders.Limit("bob", Side.Sell, 100, 5);
        Place(_engine, first);
        Place(_engine, second);

        var reduced = _engine.Reduce(first.OrderId, new Seconds(3));
        var report = Place(_engine, _orders.Limit("cid", Side.Buy, 100, 4));

        Assert.Equal(new Seconds(3), reduced!.Value.CancelledQuantity);
        Assert.Equal([first.OrderId, second.OrderId], report.Fills.Select(fill => fill.MakerOrderId));
        Assert.Equal([2L, 2L], report.Fills.Select(fill => fill.Quantity.Value));
        Assert.Equal(new Seconds(3), _engine.Depth(Side.Sell, 1)[0].Quantity);
    }

    [Fact]
    public void Reducing_by_all_that_is_left_cancels_and_more_than_that_is_refused()
    {
        var order = _orders.Limit("ann", Side.Buy, 100, 5);
        Place(_engine, order);

        Assert.Throws<ArgumentOutOfRangeException>(() => _engine.Reduce(order.OrderId, new Seconds(6)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _engine.Reduce(order.OrderId, new Seconds(0)));
        Assert.Equal(new Seconds(5), _engine.Depth(Side.Buy, 1)[0].Quantity);
        Assert.Equal(new Seconds(5), _engine.Reduce(order.OrderId, new Seconds(5))!.Value.CancelledQuantity);
        Assert.Null(_engine.BestBid);
        Assert.Null(_engine.Reduce(order.OrderId, new Seconds(1)));
    }

    [Fact]
    public void Restoring_a_snapshot_rebuilds_the_same_book_with_the_same_priority()
    {
        Place(_engine, _orders.Limit("ann", Side.Sell, 100, 5));
        Place(_engine, _orders.Limit("bob", Side.Sell, 100, 5));
        Place(_engine, _orders.Limit("cid", Side.Buy, 90, 5));
        var restored = new MatchingEngine { NextTradeNumber = _engine.NextTradeNumber };
        foreach (var snapshot in _engine.Snapshot())
        {
            restored.Restore(snapshot);
        }

        var incoming = _orders.Limit("dan", Side.Buy, 100, 7);
        var original = Place(_engine, incoming);
        var replayed = Place(restored, incoming);

        Assert.Equal(original.Fills, replayed.Fills);
        Assert.Equal(_engine.Snapshot(), restored.Snapshot());
    }

    [Fact]
    public void Orders_with_zero_or_negative_quantity_are_refused_without_touching_the_book()
    {
        Place(_engine, _orders.Limit("ann", Side.Sell, 100, 5));

        Assert.Throws<ArgumentException>(() => Place(_engine, _orders.Limit("bob", Side.Buy, 100, 0)));
        Assert.Throws<ArgumentException>(() => Place(_engine, _orders.Limit("bob", Side.Buy, 100, -3)));
        Assert.Throws<ArgumentException>(() => Place(_engine, _orders.Limit("bob", Side.Buy, 0, 3)));

        Assert.Equal(new Seconds(5), _engine.Depth(Side.Sell, 1)[0].Quantity);
    }

    [Fact]
    public void A_duplicate_order_id_is_refused_before_it_can_match()
    {
        var order = _orders.Limit("ann", Side.Buy, 100, 5);
        Place(_engine, order);
        Place(_engine, _orders.Limit("bob", Side.Sell, 110, 5));

        Assert.Throws<ArgumentException>(() => Place(_engine, order with { LimitPrice = new Price(110) }));
        Assert.Equal(new Price(110), _engine.BestAsk);
    }
}
