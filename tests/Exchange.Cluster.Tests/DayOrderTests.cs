using Exchange.Abstractions.Contracts;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Grains.Hosting;
using Exchange.Domain.Orders;

namespace Exchange.Cluster.Tests;

/// <summary>Orders for the day: they rest like good-till-cancel ones until the trading day ends, then are cancelled.</summary>
public class DayOrderTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    [Fact]
    public async Task At_the_days_end_orders_for_the_day_are_cancelled_and_their_cash_returned_while_good_till_cancel_ones_stay()
    {
        const string star = "day-star";
        await Exchange.ListAndIssueAsync(star, 1_000, 100);
        await Exchange.FundAsync("day-fan", 100_000);
        await Exchange.FundAsync("gtc-fan", 100_000);
        var forTheDay = await Exchange.LimitAsync("day-fan", star, Side.Buy, 95, 10, TimeInForce.Day);
        var untilCancelled = await Exchange.LimitAsync("gtc-fan", star, Side.Buy, 95, 10);
        var repriced = await Exchange.Wallet("day-fan").RepriceOrder(forTheDay.Order!.OrderId, 96); // still for the day only
        await Exchange.SettleAsync(star);
        var before = await Exchange.Wallet("day-fan").GetSnapshot();
        await Exchange.DeactivateIdleGrainsAsync(); // the book must know its orders for the day from storage

        var expiries = new List<long>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, listening) =>
            {
                // This cluster's silo's counter only: other test classes expire orders in this process at the same time.
                if (ReferenceEquals(instrument, Exchange.SiloService<ExchangeMetrics>().OrdersExpired))
                {
                    listening.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => { lock (expiries) { expiries.Add(value); } });
        listener.Start();

        Exchange.StartNextTradingDay();
        await Exchange.Book(star).AsReference<IRemindable>().ReceiveReminder("day-end", default);
        await Exchange.SettleAsync(star);
        listener.Dispose();

        Assert.Equal((OrderState.Open, TimeInForce.Day), (forTheDay.Order.State, forTheDay.Order.TimeInForce));
        Assert.Null(repriced.Error);
        Assert.Equal(960, before.CashReservedFen);
        var expired = (await Exchange.Wallet("day-fan").GetOrder(forTheDay.Order.OrderId))!;
        Assert.Equal((OrderState.Cancelled, 10L, 0L), (expired.State, expired.CancelledQuantity, expired.FilledQuantity));
        var dayFan = await Exchange.Wallet("day-fan").GetSnapshot();
        Assert.Equal((0L, 100_000L), (dayFan.CashReservedFen, dayFan.CashAvailableFen));
        Assert.Equal(OrderState.Open, (await Exchange.Wallet("gtc-fan").GetOrder(untilCancelled.Order!.OrderId))!.State);
        var bids = (await Exchange.Book(star).GetDepth(10)).Bids;
        Assert.Equal([(95L, 10L)], bids.Select(level => (level.PriceFen, level.Quantity)));
        lock (expiries)
        {
            Assert.Equal(1, expiries.Sum()); // operators see it on /metrics as exchange_orders_expired_total
        }

        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task The_new_days_first_order_never_meets_yesterdays_orders_for_the_day()
    {
        const string star = "day-first-star";
        await Exchange.ListAndIssueAsync(star, 1_000, 100);
        await Exchange.FundAsync("day-bidder", 100_000);
        await Exchange.FundAsync("day-seller", 100_000);
        await Exchange.MarketAsync("day-seller", star, Side.Buy, 5);
        await Exchange.SettleAsync(star);
        var bid = await Exchange.LimitAsync("day-bidder", star, Side.Buy, 99, 5, TimeInForce.Day);
        await Exchange.SettleAsync(star);

        Exchange.StartNextTradingDay();
        var sale = await Exchange.LimitAsync("day-seller", star, Side.Sell, 99, 5);
        await Exchange.SettleAsync(star);

        Assert.Equal(OrderState.Open, bid.Order!.State);
        Assert.Equal((OrderState.Open, 0L), (sale.Order!.State, sale.Order.FilledQuantity));
        Assert.Equal(OrderState.Cancelled, (await Exchange.Wallet("day-bidder").GetOrder(bid.Order.OrderId))!.State);
        Assert.Equal(0, (await Exchange.Wallet("day-bidder").GetSnapshot()).CashReservedFen);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task After_the_days_end_the_book_shows_the_new_band_and_no_expired_orders_before_anything_trades()
    {
        const string star = "day-read-star";
        await Exchange.ListAndIssueAsync(star, 10, 100);
        await Exchange.FundAsync("day-reader", 100_000);
        await Exchange.MarketAsync("day-reader", star, Side.Buy, 10);
        await Exchange.SettleAsync(star);
        await Exchange.LimitAsync("day-reader", star, Side.Sell, 105, 2, TimeInForce.Day);
        await Exchange.FundAsync("day-closer", 100_000);
        await Exchange.LimitAsync("day-closer", star, Side.Buy, 105, 1); // closes the day at 105
        var bid = await Exchange.LimitAsync("day-closer", star, Side.Buy, 95, 3, TimeInForce.Day);
        await Exchange.SettleAsync(star);

        Exchange.StartNextTradingDay();
        var depth = await Exchange.Book(star).GetDepth(10);
        await Exchange.SettleAsync(star);

        Assert.Equal(OrderState.Open, bid.Order!.State);
        Assert.Equal((105L, 95L, 115L), (depth.Quote.ReferencePriceFen, depth.Quote.BandLowerFen, depth.Quote.BandUpperFen));
        Assert.Empty(depth.Bids);
        Assert.Empty(depth.Asks);
        Assert.Equal(OrderState.Cancelled, (await Exchange.Wallet("day-closer").GetOrder(bid.Order.OrderId))!.State);
        Assert.Equal(0, (await Exchange.Wallet("day-closer").GetSnapshot()).CashReservedFen);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_market_order_for_the_day_is_immediate_or_cancel_and_a_reprice_keeps_an_order_for_the_day()
    {
        const string star = "day-market-star";
        await Exchange.ListAndIssueAsync(star, 10, 100);
        await Exchange.FundAsync("day-taker", 100_000);

        var market = await Exchange.Wallet("day-taker").PlaceOrder(new PlaceOrderCommand("market-day", star, Side.Buy, OrderType.Market, TimeInForce.Day, 0, 15));
        var resting = await Exchange.LimitAsync("day-taker", star, Side.Buy, 95, 3, TimeInForce.Day);
        var repriced = await Exchange.Wallet("day-taker").RepriceOrder(resting.Order!.OrderId, 97);

        Assert.Equal((TimeInForce.ImmediateOrCancel, OrderState.Cancelled, 10L, 5L), (market.Order!.TimeInForce, market.Order.State, market.Order.FilledQuantity, market.Order.CancelledQuantity));
        Assert.Equal((TimeInForce.Day, 97L), (repriced.Order!.TimeInForce, repriced.Order.LimitPriceFen));
        await Exchange.SettleAsync(star);
        await Exchange.AssertAuditPassesAsync();
    }
}
