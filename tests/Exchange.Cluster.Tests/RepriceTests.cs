using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;

namespace Exchange.Cluster.Tests;

/// <summary>A fan changes the price of a resting order in one step, instead of a cancel and a new order that could both fill.</summary>
public class RepriceTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    [Fact]
    public async Task A_repriced_order_queues_anew_and_a_raised_buy_reserves_the_difference_which_a_lower_price_gives_back()
    {
        await Exchange.ListAndIssueAsync("rep-queue", 100, 100);
        foreach (var fan in new[] { "fan-rep-a", "fan-rep-b", "fan-rep-c" })
        {
            await Exchange.FundAsync(fan, 10_000);
        }

        var first = (await Exchange.LimitAsync("fan-rep-a", "rep-queue", Side.Buy, 95, 10)).Order!;
        var second = (await Exchange.LimitAsync("fan-rep-b", "rep-queue", Side.Buy, 95, 10)).Order!;

        var raised = await Exchange.Wallet("fan-rep-a").RepriceOrder(first.OrderId, 96);
        var afterRaise = await Exchange.Wallet("fan-rep-a").GetSnapshot();
        var lowered = await Exchange.Wallet("fan-rep-a").RepriceOrder(first.OrderId, 95);
        await Exchange.SettleAsync("rep-queue");
        var afterLower = await Exchange.Wallet("fan-rep-a").GetSnapshot();

        Assert.True(raised.Succeeded, raised.Error?.Message);
        Assert.Equal((96L, first.OrderId), (raised.Order!.LimitPriceFen, raised.Order.OrderId));
        Assert.Equal((10_000 - 960, 960L), (afterRaise.CashAvailableFen, afterRaise.CashReservedFen));
        Assert.True(lowered.Succeeded, lowered.Error?.Message);
        Assert.Equal(95, (await Exchange.Wallet("fan-rep-a").GetOrder(first.OrderId))!.LimitPriceFen);
        Assert.Equal((10_000 - 950, 950L), (afterLower.CashAvailableFen, afterLower.CashReservedFen));
        await Exchange.DeactivateIdleGrainsAsync();
        var readBack = await Exchange.Wallet("fan-rep-a").GetSnapshot();
        Assert.Equal((10_000 - 950, 950L, 950L), (readBack.CashAvailableFen, readBack.CashReservedFen, readBack.ReservedCashByOpenOrdersFen));
        Assert.Equal(95, readBack.OpenOrders.Single().LimitPriceFen);

        // Back at 95, the repriced order now queues behind the one that never moved.
        await Exchange.MarketAsync("fan-rep-c", "rep-queue", Side.Buy, 10);
        await Exchange.SettleAsync("rep-queue");
        await Exchange.LimitAsync("fan-rep-c", "rep-queue", Side.Sell, 95, 10, TimeInForce.ImmediateOrCancel);
        await Exchange.SettleAsync("rep-queue");
        Assert.Equal(10, (await Exchange.Wallet("fan-rep-b").GetOrder(second.OrderId))!.FilledQuantity);
        Assert.Equal(0, (await Exchange.Wallet("fan-rep-a").GetOrder(first.OrderId))!.FilledQuantity);

        Assert.True((await Exchange.Wallet("fan-rep-a").CancelOrder(first.OrderId)).Succeeded);
        await Exchange.SettleAsync("rep-queue");
        var afterCancel = await Exchange.Wallet("fan-rep-a").GetSnapshot();
        Assert.Equal((10_000L, 0L), (afterCancel.CashAvailableFen, afterCancel.CashReservedFen));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_price_raised_across_the_spread_trades_at_once_and_the_order_keeps_its_id()
    {
        await Exchange.ListAndIssueAsync("rep-cross", 100, 100);
        await Exchange.FundAsync("fan-rep-d", 10_000);
        var bid = (await Exchange.LimitAsync("fan-rep-d", "rep-cross", Side.Buy, 95, 10)).Order!;

        var crossed = await Exchange.Wallet("fan-rep-d").RepriceOrder(bid.OrderId, 100);
        await Exchange.SettleAsync("rep-cross");

        Assert.True(crossed.Succeeded, crossed.Error?.Message);
        Assert.Equal((OrderState.Filled, 10L), (crossed.Order!.State, crossed.Order.FilledQuantity));
        Assert.Equal(10, crossed.Fills.Sum(fill => fill.Quantity));
        var order = (await Exchange.Wallet("fan-rep-d").GetOrder(bid.OrderId))!;
        Assert.Equal((OrderState.Filled, 100L), (order.State, order.LimitPriceFen));
        var wallet = await Exchange.Wallet("fan-rep-d").GetSnapshot();
        Assert.Equal((9_000L, 0L, 10L), (wallet.CashAvailableFen, wallet.CashReservedFen, wallet.Holdings.Single().Available));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_price_change_the_book_or_the_wallet_refuses_changes_nothing()
    {
        await Exchange.ListAndIssueAsync("rep-refuse", 100, 100);
        await Exchange.FundAsync("fan-rep-e", 1_000);
        await Exchange.FundAsync("fan-rep-f", 10_000);
        var bid = (await Exchange.LimitAsync("fan-rep-e", "rep-refuse", Side.Buy, 95, 10)).Order!;
        await Exchange.MarketAsync("fan-rep-f", "rep-refuse", Side.Buy, 10);
        await Exchange.SettleAsync("rep-refuse");
        var ask = (await Exchange.LimitAsync("fan-rep-f", "rep-refuse", Side.Sell, 108, 5)).Order!;
        var ioc = await Exchange.LimitAsync("fan-rep-f", "rep-refuse", Side.Buy, 91, 1, TimeInForce.ImmediateOrCancel);
        await Exchange.SettleAsync("rep-refuse");
        var before = (await Exchange.Wallet("fan-rep-e").GetSnapshot(), await Exchange.Wallet("fan-rep-f").GetSnapshot());

        var fan = Exchange.Wallet("fan-rep-e");
        Assert.Equal(ErrorCodes.PriceOutsideBand, (await fan.RepriceOrder(bid.OrderId, 80)).Error?.Code);
        Assert.Equal(ErrorCodes.InsufficientFunds, (await fan.RepriceOrder(bid.OrderId, 101)).Error?.Code);
        Assert.Equal(ErrorCodes.InvalidPrice, (await fan.RepriceOrder(bid.OrderId, 0)).Error?.Code);
        Assert.Equal(ErrorCodes.NotionalTooLarge, (await fan.RepriceOrder(bid.OrderId, long.MaxValue)).Error?.Code);
        Assert.Equal(ErrorCodes.NotYourOrder, (await fan.RepriceOrder(ask.OrderId, 104)).Error?.Code);
        Assert.Equal(ErrorCodes.UnknownOrder, (await fan.RepriceOrder("fan-rep-e:999", 96)).Error?.Code);
        Assert.Equal(ErrorCodes.OrderNotOpen, (await Exchange.Wallet("fan-rep-f").RepriceOrder(ioc.Order!.OrderId, 92)).Error?.Code);
        await Exchange.Book("rep-refuse").Halt("checking the news");
        Assert.Equal(ErrorCodes.MarketHalted, (await fan.RepriceOrder(bid.OrderId, 96)).Error?.Code);
        await Exchange.Book("rep-refuse").Resume();

        var after = (await Exchange.Wallet("fan-rep-e").GetSnapshot(), await Exchange.Wallet("fan-rep-f").GetSnapshot());
        Assert.Equal((before.Item1.CashAvailableFen, before.Item1.CashReservedFen), (after.Item1.CashAvailableFen, after.Item1.CashReservedFen));
        Assert.Equal(95, (await fan.GetOrder(bid.OrderId))!.LimitPriceFen);
        Assert.Equal(10, (await Exchange.Book("rep-refuse").GetDepth(5)).Bids.Single(level => level.PriceFen == 95).Quantity);

        // A sell order's price changes without touching its seconds, which stay reserved.
        Assert.True((await Exchange.Wallet("fan-rep-f").RepriceOrder(ask.OrderId, 104)).Succeeded);
        var seller = await Exchange.Wallet("fan-rep-f").GetSnapshot();
        Assert.Equal(before.Item2.Holdings.Single().Reserved, seller.Holdings.Single().Reserved);
        Assert.Equal(5, (await Exchange.Book("rep-refuse").GetDepth(5)).Asks.Single(level => level.PriceFen == 104).Quantity);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_buy_lowered_while_a_fill_at_its_old_price_is_on_its_way_pays_for_that_fill_before_the_difference_comes_back()
    {
        await Exchange.ListAndIssueAsync("rep-inflight", 100, 100);
        await Exchange.FundAsync("fan-rep-g", 950);
        await Exchange.FundAsync("fan-rep-h", 10_000);
        await Exchange.MarketAsync("fan-rep-h", "rep-inflight", Side.Buy, 10);
        await Exchange.SettleAsync("rep-inflight");
        var bid = (await Exchange.LimitAsync("fan-rep-g", "rep-inflight", Side.Buy, 95, 10)).Order!;

        using (RefusedDeliveries.RefuseTo("fan-rep-g"))
        {
            await Exchange.LimitAsync("fan-rep-h", "rep-inflight", Side.Sell, 95, 4, TimeInForce.ImmediateOrCancel);
            var lowered = await Exchange.Wallet("fan-rep-g").RepriceOrder(bid.OrderId, 91);
            Assert.True(lowered.Succeeded, lowered.Error?.Message);
            Assert.Equal((0L, 950L), ((await Exchange.Wallet("fan-rep-g").GetSnapshot()).CashAvailableFen, (await Exchange.Wallet("fan-rep-g").GetSnapshot()).CashReservedFen));
        }

        await Exchange.WaitUntilSettledAsync(["rep-inflight"]);
        var afterFill = await Exchange.Wallet("fan-rep-g").GetSnapshot();
        Assert.Equal((6 * (95L - 91), 6 * 91L, 4L), (afterFill.CashAvailableFen, afterFill.CashReservedFen, afterFill.Holdings.Single().Available));
        Assert.True((await Exchange.Wallet("fan-rep-g").CancelOrder(bid.OrderId)).Succeeded);
        await Exchange.SettleAsync("rep-inflight");
        var afterCancel = await Exchange.Wallet("fan-rep-g").GetSnapshot();
        Assert.Equal((950L - 4 * 95, 0L), (afterCancel.CashAvailableFen, afterCancel.CashReservedFen));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_price_change_whose_answer_is_lost_shows_the_price_the_book_took_once_it_settles()
    {
        await Exchange.ListAndIssueAsync("rep-lost", 100, 100);
        await Exchange.FundAsync("fan-rep-i", 10_000);
        var bid = (await Exchange.LimitAsync("fan-rep-i", "rep-lost", Side.Buy, 95, 10)).Order!;

        LostAnswers.LoseNext<IOrderBookGrain>("rep-lost", nameof(IOrderBookGrain.Reprice));
        await Assert.ThrowsAnyAsync<Exception>(() => Exchange.Wallet("fan-rep-i").RepriceOrder(bid.OrderId, 97));
        await Exchange.SettleAsync("rep-lost");

        var order = (await Exchange.Wallet("fan-rep-i").GetOrder(bid.OrderId))!;
        Assert.Equal((97L, OrderState.Open), (order.LimitPriceFen, order.State));
        var wallet = await Exchange.Wallet("fan-rep-i").GetSnapshot();
        Assert.Equal((10_000 - 970, 970L), (wallet.CashAvailableFen, wallet.CashReservedFen));
        Assert.True((await Exchange.Wallet("fan-rep-i").RepriceOrder(bid.OrderId, 97)).Succeeded);
        Assert.Equal(97, (await Exchange.Book("rep-lost").GetDepth(5)).Bids.Single().PriceFen);

        // The repeat sent no event, and the wallet expects none: a lower price gives the difference back once it settles.
        Assert.True((await Exchange.Wallet("fan-rep-i").RepriceOrder(bid.OrderId, 93)).Succeeded);
        await Exchange.SettleAsync("rep-lost");
        var lowered = await Exchange.Wallet("fan-rep-i").GetSnapshot();
        Assert.Equal((10_000 - 930, 930L), (lowered.CashAvailableFen, lowered.CashReservedFen));
        await Exchange.AssertAuditPassesAsync();
    }
}
