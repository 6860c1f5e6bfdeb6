using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;

namespace Exchange.Cluster.Tests;

public class DelistingTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    [Fact]
    public async Task Delisting_cancels_every_resting_order_releases_what_they_reserved_and_refuses_orders_and_issuance_for_good()
    {
        await Exchange.ListAndIssueAsync("gone-star", 1_000, 100); // the treasury offers 1,000 s at 1.00 CNY/s
        await Exchange.FundAsync("gone-fan-a", 100_000);
        await Exchange.FundAsync("gone-fan-b", 100_000);
        await Exchange.LimitAsync("gone-fan-a", "gone-star", Side.Buy, 100, 100);
        await Exchange.SettleAsync("gone-star");
        await Exchange.LimitAsync("gone-fan-a", "gone-star", Side.Sell, 105, 50);
        await Exchange.LimitAsync("gone-fan-a", "gone-star", Side.Buy, 95, 10);
        await Exchange.LimitAsync("gone-fan-b", "gone-star", Side.Buy, 98, 20);

        var delisted = await Exchange.Celebrity("gone-star").Delist("contract ended");
        var repeated = await Exchange.Celebrity("gone-star").Delist("another reason");
        await Exchange.SettleAsync("gone-star");

        Assert.Equal(("contract ended", 4), (delisted!.Celebrity.DelistReason, delisted.CancelledOrders)); // the treasury's offer and three fans' orders
        Assert.Equal(("contract ended", 0), (repeated!.Celebrity.DelistReason, repeated.CancelledOrders));
        var fanA = await Exchange.Wallet("gone-fan-a").GetSnapshot();
        Assert.Equal((100_000 - 100 * 100, 0L), (fanA.CashAvailableFen, fanA.CashReservedFen));
        Assert.Equal((100L, 0L), (fanA.Holdings.Single().Available, fanA.Holdings.Single().Reserved));
        Assert.Empty(fanA.OpenOrders);
        Assert.Equal((100_000L, 0L), ((await Exchange.Wallet("gone-fan-b").GetSnapshot()).CashAvailableFen, (await Exchange.Wallet("gone-fan-b").GetSnapshot()).CashReservedFen));
        Assert.Equal(900, (await Exchange.Wallet(AccountIds.Treasury).GetSnapshot()).Holdings.Single(h => h.CelebrityId == "gone-star").Available);

        // Neither an operator's resume nor a fresh activation opens the book again.
        await Exchange.Book("gone-star").Resume();
        await Exchange.DeactivateIdleGrainsAsync();
        var limit = await Exchange.LimitAsync("gone-fan-b", "gone-star", Side.Buy, 100, 1);
        var market = await Exchange.MarketAsync("gone-fan-a", "gone-star", Side.Sell, 10);
        var issuance = await Exchange.Celebrity("gone-star").IssueTime("after-delisting", 500, 100);
        var quote = await Exchange.Book("gone-star").GetQuote();

        Assert.Equal(ErrorCodes.CelebrityDelisted, limit.Error!.Code);
        Assert.Contains("contract ended", limit.Error.Message);
        Assert.False(market.Succeeded);
        Assert.Equal(ErrorCodes.CelebrityDelisted, issuance.Error!.Code);
        Assert.True(quote.IsDelisted);
        Assert.Equal("delisted: contract ended", quote.HaltReason); // clients that know only halts stop trading it too

        // Fans keep what they hold, and may still redeem it.
        var chat = await Exchange.Grains.GetGrain<ISchedulerGrain>("gone-star").RedeemChat("after-delisting-chat", "gone-fan-a", 30);
        Assert.True(chat.Succeeded, chat.Error?.Message);
        await Exchange.SettleAsync("gone-star");
        Assert.Equal(70, (await Exchange.Wallet("gone-fan-a").GetSnapshot()).Holdings.Single().Available);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_delisting_whose_book_could_not_be_reached_is_finished_by_the_celebrity_on_its_own()
    {
        await Exchange.ListAndIssueAsync("half-gone-star", 1_000, 100);
        await Exchange.FundAsync("half-gone-fan", 10_000);
        await Exchange.LimitAsync("half-gone-fan", "half-gone-star", Side.Buy, 95, 10);

        var cut = UnreachableGrains.Cut<IOrderBookGrain>("half-gone-star");
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => Exchange.Celebrity("half-gone-star").Delist("contract ended"));
            // Recorded, so no new issuance, but the book still trades until it hears of it.
            Assert.True((await Exchange.Celebrity("half-gone-star").GetProfile())!.IsDelisted);
            Assert.False((await Exchange.Book("half-gone-star").GetQuote()).IsDelisted);
        }
        finally
        {
            cut.Dispose();
        }

        // No operator repeats it: the celebrity's reminder closes the book.
        var quote = await Eventually.ValueAsync(() => Exchange.Book("half-gone-star").GetQuote(), q => q.IsDelisted, TimeSpan.FromSeconds(20));
        Assert.Equal("delisted: contract ended", quote.HaltReason);
        await Exchange.SettleAsync("half-gone-star");
        var fan = await Exchange.Wallet("half-gone-fan").GetSnapshot();
        Assert.Equal((10_000L, 0L), (fan.CashAvailableFen, fan.CashReservedFen));
        Assert.Empty(fan.OpenOrders);

        // Done, the reminder is gone: a relisting stays relisted.
        await Exchange.Celebrity("half-gone-star").Relist();
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False((await Exchange.Book("half-gone-star").GetQuote()).IsDelisted);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Relisting_opens_the_book_and_issuance_again_but_not_the_cancelled_orders()
    {
        await Exchange.ListAndIssueAsync("back-star", 100, 100);
        await Exchange.FundAsync("back-fan", 100_000);
        var resting = await Exchange.LimitAsync("back-fan", "back-star", Side.Buy, 95, 10);
        await Exchange.Celebrity("back-star").Delist("under review");

        var relisted = await Exchange.Celebrity("back-star").Relist();
        var again = await Exchange.Celebrity("back-star").Relist();
        await Exchange.DeactivateIdleGrainsAsync();
        var order = await Exchange.LimitAsync("back-fan", "back-star", Side.Buy, 100, 10);
        await Exchange.FundAsync(AccountIds.Treasury, 50 * 100);
        var issuance = await Exchange.Celebrity("back-star").IssueTime("after-relisting", 50, 100);
        await Exchange.SettleAsync("back-star");

        Assert.False(relisted!.IsDelisted);
        Assert.False(again!.IsDelisted);
        Assert.True(order.Succeeded, order.Error?.Message);
        Assert.True(issuance.Succeeded, issuance.Error?.Message);
        Assert.False((await Exchange.Book("back-star").GetQuote()).IsDelisted);
        var fan = await Exchange.Wallet("back-fan").GetSnapshot();
        Assert.DoesNotContain(fan.OpenOrders, open => open.OrderId == resting.Order!.OrderId);
        Assert.Equal((100_000 - 10 * 100, 0L), (fan.CashAvailableFen, fan.CashReservedFen));
        Assert.Null(await Exchange.Celebrity("never-listed-star").Relist());
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Delisting_in_the_middle_of_trading_loses_nothing_and_leaves_no_order_open()
    {
        string[] celebrities = ["busy-gone-star", "busy-kept-star"];
        var fans = Enumerable.Range(1, 40).Select(i => $"busy-gone-fan-{i:D2}").ToList();
        var trading = await RandomTrading.SetUpAsync(Exchange, celebrities, fans, referencePriceFen: 1_000, secondsIssued: 10_000, fundEachFen: 1_000_000,
            firstBuySeconds: 50, seed: 20261126);

        var running = trading.RunAsync(orders: 600, concurrency: 40);
        while (trading.Placed < 80 && !running.IsCompleted)
        {
            await Task.Delay(5);
        }

        var delisted = await Exchange.Celebrity("busy-gone-star").Delist("mid-session");
        Assert.False(running.IsCompleted, "the trading was over before the delisting");
        await running;
        await Exchange.SettleAsync(celebrities);

        Assert.True(trading.Failed == 0, $"{trading.Failed} calls failed; the first with {trading.FirstFailure}");
        Assert.NotNull(delisted);
        var wallets = await Task.WhenAll(fans.Select(fan => Exchange.Wallet(fan).GetSnapshot()));
        Assert.DoesNotContain(wallets.SelectMany(wallet => wallet.OpenOrders), open => open.CelebrityId == "busy-gone-star");
        Assert.All(wallets, wallet => Assert.Equal(0, wallet.Holdings.SingleOrDefault(h => h.CelebrityId == "busy-gone-star")?.Reserved ?? 0));
        var depth = await Exchange.Book("busy-gone-star").GetDepth(10);
        Assert.Empty(depth.Bids);
        Assert.Empty(depth.Asks);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Delisting_an_unknown_celebrity_changes_nothing()
    {
        Assert.Null(await Exchange.Celebrity("never-listed-star").Delist("why not"));
        Assert.Null(await Exchange.Celebrity("never-listed-star").GetProfile());
    }
}
