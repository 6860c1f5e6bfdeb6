using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;

namespace Exchange.Cluster.Tests;

public class TradingTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    [Fact]
    public async Task A_resting_buy_reserves_price_times_quantity_and_cancelling_releases_it()
    {
        await Exchange.ListAndIssueAsync("he-ran", 1_000, 500);
        await Exchange.FundAsync("fan-bea", 10_000);

        var placed = await Exchange.LimitAsync("fan-bea", "he-ran", Side.Buy, 480, 20);
        var whileOpen = await Exchange.Wallet("fan-bea").GetSnapshot();
        var cancelled = await Exchange.Wallet("fan-bea").CancelOrder(placed.Order!.OrderId);
        await Exchange.SettleAsync("he-ran");
        var afterCancel = await Exchange.Wallet("fan-bea").GetSnapshot();

        Assert.Equal(OrderState.Open, placed.Order.State);
        Assert.Equal((10_000 - 9_600, 9_600L), (whileOpen.CashAvailableFen, whileOpen.CashReservedFen));
        Assert.True(cancelled.Succeeded);
        Assert.Equal((10_000, 0L), (afterCancel.CashAvailableFen, afterCancel.CashReservedFen));
        Assert.Empty(afterCancel.OpenOrders);
        Assert.Equal(OrderState.Cancelled, (await Exchange.Wallet("fan-bea").GetOrder(placed.Order.OrderId))!.State);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_reduced_order_keeps_its_place_in_the_queue_and_its_reservation_shrinks_with_it()
    {
        await Exchange.ListAndIssueAsync("lin-reduce", 100, 100);
        foreach (var fan in new[] { "fan-red-a", "fan-red-b", "fan-red-c" })
        {
            await Exchange.FundAsync(fan, 10_000);
        }

        var first = (await Exchange.LimitAsync("fan-red-a", "lin-reduce", Side.Buy, 95, 10)).Order!;
        var second = (await Exchange.LimitAsync("fan-red-b", "lin-reduce", Side.Buy, 95, 10)).Order!;
        var reduced = await Exchange.Wallet("fan-red-a").ReduceOrder(first.OrderId, 4);
        await Exchange.SettleAsync("lin-reduce");
        var afterReduce = await Exchange.Wallet("fan-red-a").GetSnapshot();
        var again = await Exchange.Wallet("fan-red-a").ReduceOrder(first.OrderId, 4);

        Assert.True(reduced.Succeeded, reduced.Error?.Message);
        Assert.Equal(6, reduced.Order!.CancelledQuantity);
        Assert.Equal((10_000 - 380, 380L), (afterReduce.CashAvailableFen, afterReduce.CashReservedFen));
        Assert.True(again.Succeeded);
        Assert.Equal(6, again.Order!.CancelledQuantity);
        Assert.Equal(ErrorCodes.InvalidQuantity, (await Exchange.Wallet("fan-red-a").ReduceOrder(first.OrderId, 5)).Error?.Code);
        Assert.Equal(ErrorCodes.InvalidQuantity, (await Exchange.Wallet("fan-red-a").ReduceOrder(first.OrderId, 0)).Error?.Code);
        Assert.Equal(ErrorCodes.NotYourOrder, (await Exchange.Wallet("fan-red-b").ReduceOrder(first.OrderId, 1)).Error?.Code);

        // A seller takes 6 s at 95: the reduced order, first in the queue, still fills first.
        await Exchange.MarketAsync("fan-red-c", "lin-reduce", Side.Buy, 10);
        await Exchange.SettleAsync("lin-reduce");
        await Exchange.LimitAsync("fan-red-c", "lin-reduce", Side.Sell, 95, 6, TimeInForce.ImmediateOrCancel);
        await Exchange.SettleAsync("lin-reduce");

        Assert.Equal(4, (await Exchange.Wallet("fan-red-a").GetOrder(first.OrderId))!.FilledQuantity);
        Assert.Equal(2, (await Exchange.Wallet("fan-red-b").GetOrder(second.OrderId))!.FilledQuantity);
        Assert.Equal(0, (await Exchange.Wallet("fan-red-a").GetSnapshot()).CashReservedFen);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Fans_trade_with_each_other_at_the_resting_price_and_a_better_limit_gets_its_change_back()
    {
        await Exchange.ListAndIssueAsync("gu-an", 1_000, 1_000);
        await Exchange.FundAsync("fan-cal", 2_000_000);
        await Exchange.FundAsync("fan-dee", 100_000);
        await Exchange.LimitAsync("fan-cal", "gu-an", Side.Buy, 1_000, 1_000);
        await Exchange.SettleAsync("gu-an");

        var ask = await Exchange.LimitAsync("fan-cal", "gu-an", Side.Sell, 1_050, 30);
        var bid = await Exchange.LimitAsync("fan-dee", "gu-an", Side.Buy, 1_080, 10);
        await Exchange.SettleAsync("gu-an");

        Assert.Equal(OrderState.Open, ask.Order!.State);
        Assert.Equal(OrderState.Filled, bid.Order!.State);
        var dee = await Exchange.Wallet("fan-dee").GetSnapshot();
        var cal = await Exchange.Wallet("fan-cal").GetSnapshot();
        Assert.Equal(100_000 - 10_500, dee.CashAvailableFen); // paid 1,050 not 1,080
        Assert.Equal(0, dee.CashReservedFen);
        Assert.Equal(10, Assert.Single(dee.Holdings).Available);
        Assert.Equal(2_000_000 - 1_000_000 + 10_500 - 315, cal.CashAvailableFen); // 3% of 10,500
        var calHolding = Assert.Single(cal.Holdings);
        Assert.Equal((970L, 20L), (calHolding.Available, calHolding.Reserved));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Self_trade_prevention_cancels_the_fans_resting_order_and_returns_its_reservation()
    {
        await Exchange.ListAndIssueAsync("xu-jin", 100, 200);
        await Exchange.FundAsync("fan-eve", 100_000);
        await Exchange.LimitAsync("fan-eve", "xu-jin", Side.Buy, 200, 100);
        await Exchange.SettleAsync("xu-jin");
        var ownAsk = await Exchange.LimitAsync("fan-eve", "xu-jin", Side.Sell, 210, 40);

        var ownBid = await Exchange.LimitAsync("fan-eve", "xu-jin", Side.Buy, 215, 10);
        await Exchange.SettleAsync("xu-jin");

        Assert.Empty(ownBid.Fills);
        Assert.Equal(OrderState.Cancelled, (await Exchange.Wallet("fan-eve").GetOrder(ownAsk.Order!.OrderId))!.State);
        var eve = await Exchange.Wallet("fan-eve").GetSnapshot();
        var holding = Assert.Single(eve.Holdings);
        Assert.Equal((100L, 0L), (holding.Available, holding.Reserved));
        Assert.Equal(2_150, eve.CashReservedFen);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Immediate_or_cancel_and_fill_or_kill_release_what_did_not_trade()
    {
        await Exchange.ListAndIssueAsync("bai-lu", 30, 100);
        await Exchange.FundAsync("fan-fay", 100_000);

        var killed = await Exchange.LimitAsync("fan-fay", "bai-lu", Side.Buy, 100, 31, TimeInForce.FillOrKill);
        var partial = await Exchange.LimitAsync("fan-fay", "bai-lu", Side.Buy, 100, 50, TimeInForce.ImmediateOrCancel);
        await Exchange.SettleAsync("bai-lu");

        Assert.Equal(OrderState.Cancelled, killed.Order!.State);
        Assert.Equal(0, killed.Order.FilledQuantity);
        Assert.Equal((30L, 20L), (partial.Order!.FilledQuantity, partial.Order.CancelledQuantity));
        var fay = await Exchange.Wallet("fan-fay").GetSnapshot();
        Assert.Equal((100_000 - 3_000, 0L), (fay.CashAvailableFen, fay.CashReservedFen));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_market_buy_pays_resting_prices_and_never_beyond_the_band()
    {
        await Exchange.ListAndIssueAsync("lu-qi", 10, 1_000);
        await Exchange.FundAsync("fan-gus", 1_000_000);
        await Exchange.FundAsync("fan-hal", 1_000_000);
        await Exchange.LimitAsync("fan-hal", "lu-qi", Side.Buy, 1_000, 10);
        await Exchange.SettleAsync("lu-qi");
        await Exchange.LimitAsync("fan-hal", "lu-qi", Side.Sell, 1_100, 5); // at the upper band edge

        var bought = await Exchange.MarketAsync("fan-gus", "lu-qi", Side.Buy, 8);
        await Exchange.SettleAsync("lu-qi");

        Assert.Equal((5L, 3L), (bought.Order!.FilledQuantity, bought.Order.CancelledQuantity));
        Assert.All(bought.Fills, fill => Assert.Equal(1_100, fill.PriceFen));
        var gus = await Exchange.Wallet("fan-gus").GetSnapshot();
        Assert.Equal((1_000_000 - 5_500, 0L), (gus.CashAvailableFen, gus.CashReservedFen));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Placing_with_the_same_client_order_id_returns_the_original_order_and_trades_once()
    {
        await Exchange.ListAndIssueAsync("su-mei", 100, 100);
        await Exchange.FundAsync("fan-ida", 100_000);

        var first = await Exchange.LimitAsync("fan-ida", "su-mei", Side.Buy, 100, 10, clientOrderId: "ida-1");
        var replay = await Exchange.LimitAsync("fan-ida", "su-mei", Side.Buy, 100, 10, clientOrderId: "ida-1");
        await Exchange.SettleAsync("su-mei");

        Assert.False(first.WasReplay);
        Assert.True(replay.WasReplay);
        Assert.Equal(first.Order!.OrderId, replay.Order!.OrderId);
        Assert.Equal(10, Assert.Single((await Exchange.Wallet("fan-ida").GetSnapshot()).Holdings).Available);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Deposits_and_withdrawals_are_idempotent_by_key()
    {
        var wallet = Exchange.Wallet("fan-jo");

        Assert.False((await wallet.Deposit("dep-1", 5_000)).WasReplay);
        Assert.True((await wallet.Deposit("dep-1", 5_000)).WasReplay);
        Assert.False((await wallet.Withdraw("wd-1", 1_500)).WasReplay);
        Assert.True((await wallet.Withdraw("wd-1", 1_500)).WasReplay);

        var snapshot = await wallet.GetSnapshot();
        Assert.Equal((3_500L, 5_000L, 1_500L), (snapshot.CashAvailableFen, snapshot.TotalDepositedFen, snapshot.TotalWithdrawnFen));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_deposit_or_withdrawal_key_used_again_for_another_movement_is_refused_and_moves_nothing()
    {
        var wallet = Exchange.Wallet("fan-reused-keys");
        Assert.True((await wallet.Deposit("reused-dep", 5_000)).Succeeded);
        Assert.True((await wallet.Withdraw("reused-wd", 1_000)).Succeeded);

        // Read back from storage too: the amount each key moved has to outlive the activation that took it.
        foreach (var _ in new[] { "active", "reactivated" })
        {
            var moreMoney = await wallet.Deposit("reused-dep", 7_000);
            Assert.Equal(ErrorCodes.DuplicateRequest, moreMoney.Error?.Code);
            Assert.Contains("deposit of 50.00 CNY (5000 fen)", moreMoney.Error!.Message);
            Assert.Equal(ErrorCodes.DuplicateRequest, (await wallet.Withdraw("reused-dep", 5_000)).Error?.Code);
            Assert.Equal(ErrorCodes.DuplicateRequest, (await wallet.Deposit("reused-wd", 1_000)).Error?.Code);
            Assert.Equal(ErrorCodes.DuplicateRequest, (await wallet.Withdraw("reused-wd", 999)).Error?.Code);
            Assert.True((await wallet.Deposit("reused-dep", 5_000)).WasReplay);
            Assert.True((await wallet.Withdraw("reused-wd", 1_000)).WasReplay);

            var snapshot = await wallet.GetSnapshot();
            Assert.Equal((4_000L, 5_000L, 1_000L), (snapshot.CashAvailableFen, snapshot.TotalDepositedFen, snapshot.TotalWithdrawnFen));
            await Exchange.DeactivateIdleGrainsAsync();
        }

        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Wallet_ignores_book_events_it_has_already_applied()
    {
        await Exchange.ListAndIssueAsync("he-yu", 100, 100);
        await Exchange.FundAsync("fan-kim", 100_000);
        var order = await Exchange.LimitAsync("fan-kim", "he-yu", Side.Buy, 100, 10);
        await Exchange.SettleAsync("he-yu");
        var before = await Exchange.Wallet("fan-kim").GetSnapshot();
        var trade = new TradeRecord("he-yu:1", "he-yu", 1, "fan-kim", "platform:treasury", order.Order!.OrderId, "x", 100, 10, 1_000, 30, DateTimeOffset.UtcNow);

        await Exchange.Wallet("fan-kim").ApplyBookEvents("he-yu", [new BookEvent(1, trade, null, null, 0)]);

        Assert.Equivalent(before, await Exchange.Wallet("fan-kim").GetSnapshot());
    }

    [Fact]
    public async Task Every_trade_is_journaled_published_on_the_stream_and_reflected_in_market_data()
    {
        await Exchange.ListAndIssueAsync("zhou-ye", 100, 400);
        await Exchange.FundAsync("fan-lee", 1_000_000);

        await Exchange.LimitAsync("fan-lee", "zhou-ye", Side.Buy, 400, 10);
        await Exchange.LimitAsync("fan-lee", "zhou-ye", Side.Buy, 400, 15);
        await Exchange.SettleAsync("zhou-ye");

        var market = Exchange.Grains.GetGrain<IMarketDataGrain>("zhou-ye");
        var summary = await Eventually.ValueAsync(() => market.GetSummary(10), s => s.TradeCount == 2);
        Assert.Equal(400, summary.LastPriceFen);
        Assert.Equal(25, summary.Volume24h);
        var candle = Assert.Single(summary.Candles);
        Assert.Equal((400L, 400L, 25L), (candle.OpenFen, candle.CloseFen, candle.Volume));

        var journal = new Exchange.Grains.Storage.PostgresTradeJournal(Npgsql.NpgsqlDataSource.Create(Exchange.ConnectionString));
        var trades = await journal.RecentAsync("zhou-ye", 10);
        Assert.Equal([15L, 10L], trades.Select(t => t.Quantity));
        Assert.Equal([180L, 120L], trades.Select(t => t.CommissionFen)); // 3% of 6,000 and of 4,000
    }
}
