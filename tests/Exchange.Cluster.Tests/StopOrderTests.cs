using System.Diagnostics.Metrics;
using Exchange.Abstractions.Contracts;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Grains.Hosting;
using Exchange.Domain.Orders;

namespace Exchange.Cluster.Tests;

/// <summary>Stop orders: held off the book, unseen, until a trade reaches their stop price, then placed as they are.</summary>
public class StopOrderTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    private Task<OrderResult> StopAsync(string fan, string star, Side side, OrderType type, long limitPriceFen, long stopPriceFen, long quantity,
        TimeInForce tif = TimeInForce.GoodTillCancel) =>
        Exchange.Wallet(fan).PlaceOrder(new PlaceOrderCommand(Guid.NewGuid().ToString("N"), star, side, type, tif, limitPriceFen, quantity, stopPriceFen));

    [Fact]
    public async Task A_stop_loss_waits_unseen_through_a_restart_and_sells_once_a_trade_reaches_its_price()
    {
        const string star = "stop-loss-star";
        await Exchange.ListAndIssueAsync(star, 1_000, 100);
        foreach (var fan in new[] { "stop-holder", "stop-dumper", "stop-bidder" })
        {
            await Exchange.FundAsync(fan, 100_000);
        }

        await Exchange.MarketAsync("stop-holder", star, Side.Buy, 10);
        await Exchange.MarketAsync("stop-dumper", star, Side.Buy, 1);
        await Exchange.SettleAsync(star);
        var holderBefore = await Exchange.Wallet("stop-holder").GetSnapshot();

        var stop = await StopAsync("stop-holder", star, Side.Sell, OrderType.Limit, 94, 95, 10);
        await Exchange.LimitAsync("stop-bidder", star, Side.Buy, 95, 1);
        await Exchange.LimitAsync("stop-bidder", star, Side.Buy, 94, 10);
        await Exchange.SettleAsync(star);
        var asksWhileArmed = (await Exchange.Book(star).GetDepth(10)).Asks;
        var holderArmed = (await Exchange.Wallet("stop-holder").GetSnapshot()).Holdings.Single(holding => holding.CelebrityId == star);
        await Exchange.DeactivateIdleGrainsAsync(); // the book must know its stop from storage

        var triggered = new List<long>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, listening) =>
            {
                // This cluster's silo's counter only: other test classes trigger stops in this process at the same time.
                if (ReferenceEquals(instrument, Exchange.SiloService<ExchangeMetrics>().StopsTriggered))
                {
                    listening.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, _, _) => { lock (triggered) { triggered.Add(value); } });
            listener.Start();
            await Exchange.LimitAsync("stop-dumper", star, Side.Sell, 95, 1);
            await Exchange.SettleAsync(star);
        }

        Assert.Null(stop.Error);
        Assert.Equal((OrderState.Open, 95L, 94L), (stop.Order!.State, stop.Order.StopPriceFen, stop.Order.LimitPriceFen));
        Assert.Equal([(100L, 989L)], asksWhileArmed.Select(level => (level.PriceFen, level.Quantity))); // the treasury's offer only
        Assert.Equal((0L, 10L), (holderArmed.Available, holderArmed.Reserved));
        var sold = (await Exchange.Wallet("stop-holder").GetOrder(stop.Order.OrderId))!;
        Assert.Equal((OrderState.Filled, 10L, true), (sold.State, sold.FilledQuantity, sold.StopTriggered));
        Assert.False(stop.Order.StopTriggered);
        var holderAfter = await Exchange.Wallet("stop-holder").GetSnapshot();
        var fee = (94 * 10 * 3 + 50) / 100; // 3% of the notional, rounded half up
        Assert.Equal(holderBefore.CashAvailableFen + 94 * 10 - fee, holderAfter.CashAvailableFen);
        Assert.DoesNotContain(holderAfter.Holdings, holding => holding.CelebrityId == star && holding.Total > 0);
        Assert.Empty((await Exchange.Book(star).GetDepth(10)).Bids);
        lock (triggered)
        {
            Assert.Equal(1, triggered.Sum());
        }

        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task One_stops_trades_trigger_the_next_until_a_halt_their_trades_cause_leaves_the_rest_waiting()
    {
        const string star = "stop-cascade-star";
        await Exchange.ListAndIssueAsync(star, 100, 100);
        foreach (var fan in new[] { "cascade-holder", "cascade-dumper", "cascade-bidder" })
        {
            await Exchange.FundAsync(fan, 100_000);
        }

        await Exchange.MarketAsync("cascade-holder", star, Side.Buy, 20);
        await Exchange.MarketAsync("cascade-dumper", star, Side.Buy, 1);
        await Exchange.SettleAsync(star);
        await Exchange.LimitAsync("cascade-bidder", star, Side.Buy, 98, 1);
        await Exchange.LimitAsync("cascade-bidder", star, Side.Buy, 97, 1);
        await Exchange.LimitAsync("cascade-bidder", star, Side.Buy, 90, 10);
        var first = await StopAsync("cascade-holder", star, Side.Sell, OrderType.Market, 0, 99, 1);
        var second = await StopAsync("cascade-holder", star, Side.Sell, OrderType.Market, 0, 97, 5);
        var third = await StopAsync("cascade-holder", star, Side.Sell, OrderType.Market, 0, 95, 2);

        // A trade at 98 reaches only the first stop; its sale at 97 reaches the second, whose sale at 90 (10% below
        // 100) halts the book: the third, reached too, waits.
        await Exchange.LimitAsync("cascade-dumper", star, Side.Sell, 98, 1);
        await Exchange.SettleAsync(star);

        var holder = Exchange.Wallet("cascade-holder");
        Assert.Equal((OrderState.Filled, 1L), ((await holder.GetOrder(first.Order!.OrderId))!.State, (await holder.GetOrder(first.Order.OrderId))!.FilledQuantity));
        Assert.Equal((OrderState.Filled, 5L), ((await holder.GetOrder(second.Order!.OrderId))!.State, (await holder.GetOrder(second.Order.OrderId))!.FilledQuantity));
        Assert.Equal((OrderState.Open, 0L, false), ((await holder.GetOrder(third.Order!.OrderId))!.State, (await holder.GetOrder(third.Order.OrderId))!.FilledQuantity,
            (await holder.GetOrder(third.Order.OrderId))!.StopTriggered));
        var quote = await Exchange.Book(star).GetQuote();
        Assert.Equal(90, quote.LastPriceFen);
        Assert.NotNull(quote.HaltedUntil);
        Assert.Equal([(90L, 5L)], (await Exchange.Book(star).GetDepth(10)).Bids.Select(level => (level.PriceFen, level.Quantity)));
        var seconds = (await holder.GetSnapshot()).Holdings.Single(holding => holding.CelebrityId == star);
        Assert.Equal((12L, 2L), (seconds.Available, seconds.Reserved));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_stop_limit_whose_limit_has_left_the_days_band_is_cancelled_when_it_triggers()
    {
        const string star = "stop-band-star";
        await Exchange.ListAndIssueAsync(star, 20, 100);
        foreach (var fan in new[] { "band-holder", "band-seller", "band-buyer" })
        {
            await Exchange.FundAsync(fan, 100_000);
        }

        await Exchange.MarketAsync("band-holder", star, Side.Buy, 10);
        await Exchange.MarketAsync("band-seller", star, Side.Buy, 10);
        await Exchange.SettleAsync(star);
        var stop = await StopAsync("band-holder", star, Side.Sell, OrderType.Limit, 91, 95, 10);
        await Exchange.LimitAsync("band-seller", star, Side.Sell, 105, 1);
        await Exchange.LimitAsync("band-buyer", star, Side.Buy, 105, 1); // closes the day at 105: tomorrow's band is 94.50-115.50
        var dayOne = await Exchange.Book(star).GetQuote();
        Exchange.StartNextTradingDay();

        await Exchange.LimitAsync("band-seller", star, Side.Sell, 95, 1);
        await Exchange.LimitAsync("band-buyer", star, Side.Buy, 95, 1);
        await Exchange.SettleAsync(star);

        Assert.Null(stop.Error);
        var dayTwo = await Exchange.Book(star).GetQuote();
        Assert.Equal((105L, 90L), (dayOne.LastPriceFen, dayOne.BandLowerFen));
        Assert.Equal((95L, 95L), (dayTwo.LastPriceFen, dayTwo.BandLowerFen));
        Assert.Empty((await Exchange.Book(star).GetDepth(10)).Asks);
        var cancelled = (await Exchange.Wallet("band-holder").GetOrder(stop.Order!.OrderId))!;
        Assert.Equal((OrderState.Cancelled, 0L, 10L), (cancelled.State, cancelled.FilledQuantity, cancelled.CancelledQuantity));
        var seconds = (await Exchange.Wallet("band-holder").GetSnapshot()).Holdings.Single(holding => holding.CelebrityId == star);
        Assert.Equal((10L, 0L), (seconds.Available, seconds.Reserved));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_triggered_stop_limit_that_finds_nothing_to_trade_rests_and_says_so_and_can_then_be_repriced()
    {
        const string star = "stop-rest-star";
        await Exchange.ListAndIssueAsync(star, 10, 100);
        await Exchange.FundAsync("rest-buyer", 100_000);
        await Exchange.FundAsync("rest-stop", 100_000);
        await Exchange.MarketAsync("rest-buyer", star, Side.Buy, 10);
        await Exchange.SettleAsync(star);
        var stop = await StopAsync("rest-stop", star, Side.Buy, OrderType.Limit, 103, 102, 4);
        var refused = await Exchange.Wallet("rest-stop").RepriceOrder(stop.Order!.OrderId, 104);
        await Exchange.LimitAsync("rest-buyer", star, Side.Sell, 102, 2);
        await Exchange.FundAsync("rest-taker", 100_000);
        await Exchange.LimitAsync("rest-taker", star, Side.Buy, 102, 1); // trades at 102: the stop takes the other second, then rests for 3
        await Exchange.SettleAsync(star);
        var triggered = (await Exchange.Wallet("rest-stop").GetOrder(stop.Order.OrderId))!;

        var repriced = await Exchange.Wallet("rest-stop").RepriceOrder(stop.Order.OrderId, 101);
        await Exchange.SettleAsync(star);

        Assert.Equal(ErrorCodes.StopNotTriggered, refused.Error?.Code);
        Assert.Equal((OrderState.PartiallyFilled, 1L, true), (triggered.State, triggered.FilledQuantity, triggered.StopTriggered));
        Assert.Null(repriced.Error);
        Assert.Equal([(101L, 3L)], (await Exchange.Book(star).GetDepth(10)).Bids.Select(level => (level.PriceFen, level.Quantity)));
        var wallet = await Exchange.Wallet("rest-stop").GetSnapshot();
        Assert.Equal((3L * 101, 100_000L - 102 - 3 * 101), (wallet.CashReservedFen, wallet.CashAvailableFen));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Delisting_cancels_waiting_stops_and_returns_what_they_reserved()
    {
        const string star = "stop-delisted-star";
        await Exchange.ListAndIssueAsync(star, 20, 100);
        await Exchange.FundAsync("delisted-stops", 100_000);
        await Exchange.MarketAsync("delisted-stops", star, Side.Buy, 10);
        await Exchange.SettleAsync(star);
        var sellStop = await StopAsync("delisted-stops", star, Side.Sell, OrderType.Market, 0, 90, 10);
        var buyStop = await StopAsync("delisted-stops", star, Side.Buy, OrderType.Limit, 108, 105, 5);

        await Exchange.Celebrity(star).Delist("contract ended");
        await Exchange.SettleAsync(star);

        var wallet = Exchange.Wallet("delisted-stops");
        Assert.Equal(OrderState.Cancelled, (await wallet.GetOrder(sellStop.Order!.OrderId))!.State);
        Assert.Equal(OrderState.Cancelled, (await wallet.GetOrder(buyStop.Order!.OrderId))!.State);
        var after = await wallet.GetSnapshot();
        Assert.Equal((0L, 100_000L - 10 * 100), (after.CashReservedFen, after.CashAvailableFen));
        Assert.Equal((10L, 0L), (after.Holdings.Single(holding => holding.CelebrityId == star).Available, after.Holdings.Single(holding => holding.CelebrityId == star).Reserved));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_stop_the_last_trade_already_reached_or_with_a_bad_price_is_refused_and_reserves_nothing()
    {
        const string star = "stop-refused-star";
        await Exchange.ListAndIssueAsync(star, 100, 100);
        await Exchange.FundAsync("stop-refused", 100_000);
        await Exchange.MarketAsync("stop-refused", star, Side.Buy, 10);
        await Exchange.SettleAsync(star);
        var before = await Exchange.Wallet("stop-refused").GetSnapshot();

        var sellAbove = await StopAsync("stop-refused", star, Side.Sell, OrderType.Market, 0, 100, 5);
        var buyBelow = await StopAsync("stop-refused", star, Side.Buy, OrderType.Limit, 105, 99, 5);
        var negative = await StopAsync("stop-refused", star, Side.Buy, OrderType.Limit, 105, -1, 5);
        await Exchange.SettleAsync(star);

        Assert.Equal(ErrorCodes.StopAlreadyReached, sellAbove.Error?.Code);
        Assert.Contains("below the last price, 100 fen/s", sellAbove.Error!.Message);
        Assert.Equal(ErrorCodes.StopAlreadyReached, buyBelow.Error?.Code);
        Assert.Equal(ErrorCodes.InvalidPrice, negative.Error?.Code);
        var after = await Exchange.Wallet("stop-refused").GetSnapshot();
        Assert.Equal((before.CashAvailableFen, 0L), (after.CashAvailableFen, after.CashReservedFen));
        Assert.Empty(after.OpenOrders);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_stop_market_buy_can_be_reduced_but_not_repriced_and_trades_within_what_it_reserved_once_triggered()
    {
        const string star = "stop-buy-star";
        await Exchange.ListAndIssueAsync(star, 10, 100);
        foreach (var fan in new[] { "stop-maker", "stop-breakout", "stop-taker" })
        {
            await Exchange.FundAsync(fan, 100_000);
        }

        await Exchange.MarketAsync("stop-maker", star, Side.Buy, 10);
        await Exchange.SettleAsync(star);
        await Exchange.LimitAsync("stop-maker", star, Side.Sell, 105, 2);
        await Exchange.LimitAsync("stop-maker", star, Side.Sell, 107, 3);
        var stop = await StopAsync("stop-breakout", star, Side.Buy, OrderType.Market, 0, 105, 5);
        var reserved = (await Exchange.Wallet("stop-breakout").GetSnapshot()).CashReservedFen;
        var repriced = await Exchange.Wallet("stop-breakout").RepriceOrder(stop.Order!.OrderId, 104);
        var reduced = await Exchange.Wallet("stop-breakout").ReduceOrder(stop.Order.OrderId, 3);
        await Exchange.SettleAsync(star);

        await Exchange.LimitAsync("stop-taker", star, Side.Buy, 105, 1);
        await Exchange.SettleAsync(star);

        Assert.Equal((OrderState.Open, TimeInForce.GoodTillCancel), (stop.Order.State, stop.Order.TimeInForce));
        Assert.Equal(110 * 5, reserved); // a market buy reserves at the top of today's band (100 +/- 10%)
        Assert.Equal(ErrorCodes.InvalidRequest, repriced.Error?.Code); // a market order has no price to change
        Assert.Null(reduced.Error);
        var bought = (await Exchange.Wallet("stop-breakout").GetOrder(stop.Order.OrderId))!;
        Assert.Equal((OrderState.Cancelled, 3L, 2L), (bought.State, bought.FilledQuantity, bought.CancelledQuantity));
        var breakout = await Exchange.Wallet("stop-breakout").GetSnapshot();
        Assert.Equal((100_000L - 105 - 2 * 107, 0L), (breakout.CashAvailableFen, breakout.CashReservedFen));
        Assert.Equal(3, breakout.Holdings.Single(holding => holding.CelebrityId == star).Available);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_stop_for_the_day_expires_untriggered_at_the_days_end_and_a_cancelled_stop_returns_its_reservation()
    {
        const string star = "stop-day-star";
        await Exchange.ListAndIssueAsync(star, 100, 100);
        await Exchange.FundAsync("stop-day-fan", 100_000);
        await Exchange.MarketAsync("stop-day-fan", star, Side.Buy, 10);
        await Exchange.SettleAsync(star);

        var forTheDay = await StopAsync("stop-day-fan", star, Side.Sell, OrderType.Market, 0, 90, 4, TimeInForce.Day);
        var cancelled = await StopAsync("stop-day-fan", star, Side.Buy, OrderType.Limit, 108, 106, 5);
        var repriced = await Exchange.Wallet("stop-day-fan").RepriceOrder(cancelled.Order!.OrderId, 109);
        var reservedBeforeCancel = (await Exchange.Wallet("stop-day-fan").GetSnapshot()).CashReservedFen;
        var cancel = await Exchange.Wallet("stop-day-fan").CancelOrder(cancelled.Order.OrderId);
        await Exchange.SettleAsync(star);
        Exchange.StartNextTradingDay();
        await Exchange.Book(star).AsReference<IRemindable>().ReceiveReminder("day-end", default);
        await Exchange.SettleAsync(star);

        Assert.Equal(TimeInForce.Day, forTheDay.Order!.TimeInForce);
        Assert.Equal(ErrorCodes.StopNotTriggered, repriced.Error?.Code);
        Assert.Equal(108 * 5, reservedBeforeCancel); // the refused price change reserved nothing more
        Assert.Null(cancel.Error);
        Assert.Equal(OrderState.Cancelled, (await Exchange.Wallet("stop-day-fan").GetOrder(forTheDay.Order.OrderId))!.State);
        Assert.Equal(OrderState.Cancelled, (await Exchange.Wallet("stop-day-fan").GetOrder(cancelled.Order.OrderId))!.State);
        var fan = await Exchange.Wallet("stop-day-fan").GetSnapshot();
        Assert.Equal(0, fan.CashReservedFen);
        Assert.Equal((10L, 0L), (fan.Holdings.Single(holding => holding.CelebrityId == star).Available, fan.Holdings.Single(holding => holding.CelebrityId == star).Reserved));
        await Exchange.AssertAuditPassesAsync();
    }
}
