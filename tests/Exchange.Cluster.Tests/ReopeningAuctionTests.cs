using Exchange.Abstractions.Contracts;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;

namespace Exchange.Cluster.Tests;

/// <summary>
/// A volatility halt collects limit orders that rest, and the book reopens with an auction that trades what crosses
/// at one price; graver halts take nothing.
/// </summary>
public class ReopeningAuctionTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    [Fact]
    public async Task Orders_collected_during_a_volatility_halt_trade_at_one_auction_price_when_it_ends_then_stops_trigger()
    {
        const string star = "auction-star";
        await ListWithSellerAsync(Exchange, star);
        await Exchange.FundAsync("auction-buyer", 100_000);
        await Exchange.FundAsync("auction-stopper", 100_000);
        var stopBeforeHalt = await Exchange.Wallet("auction-stopper").PlaceOrder(new PlaceOrderCommand(
            Guid.NewGuid().ToString("N"), star, Side.Buy, OrderType.Limit, TimeInForce.GoodTillCancel, 1_070, 2, StopPriceFen: 1_040));

        await SpikeAsync(Exchange, star);
        var sell = await Exchange.LimitAsync(Seller(star), star, Side.Sell, 1_040, 5);
        var buy = await Exchange.LimitAsync("auction-buyer", star, Side.Buy, 1_050, 8);
        var repriced = await Exchange.Wallet(Seller(star)).RepriceOrder(sell.Order!.OrderId, 1_045);
        var market = await Exchange.MarketAsync("auction-buyer", star, Side.Buy, 1);
        var immediate = await Exchange.LimitAsync("auction-buyer", star, Side.Buy, 1_050, 1, TimeInForce.ImmediateOrCancel);
        var stopLoss = await Exchange.Wallet(Seller(star)).PlaceOrder(new PlaceOrderCommand(
            Guid.NewGuid().ToString("N"), star, Side.Sell, OrderType.Market, TimeInForce.GoodTillCancel, 0, 20, StopPriceFen: 1_000));
        var during = await Exchange.Book(star).GetQuote();
        var stopDuring = await Exchange.Wallet("auction-stopper").GetOrder(stopBeforeHalt.Order!.OrderId);

        Exchange.Clock.Advance(TimeSpan.FromMinutes(6));
        var after = await Exchange.Book(star).GetQuote();
        await Exchange.SettleAsync(star);

        Assert.Equal((OrderState.Open, OrderState.Open), (sell.Order.State, buy.Order!.State));
        Assert.True(repriced.Succeeded, repriced.Error?.Message);
        Assert.Equal(ErrorCodes.MarketHalted, market.Error!.Code);
        Assert.Contains("reopening auction", market.Error.Message);
        Assert.True(stopLoss.Succeeded, stopLoss.Error?.Message); // armed during the call, below the auction's price
        Assert.Equal(ErrorCodes.MarketHalted, immediate.Error!.Code);
        Assert.Equal<(long?, long?)>((1_050, 1_045), (during.BestBidFen, during.BestAskFen)); // crossed while collecting
        Assert.NotNull(during.HaltedUntil);
        Assert.Equal((true, 1_050L, 5L), (during.AuctionCall, during.AuctionPriceFen!.Value, during.AuctionQuantity));
        Assert.False(stopDuring!.StopTriggered); // the spike reached it, but stops wait out the halt

        // Both 1,045 and 1,050 trade 5 s leaving 3 s of buyers: their pressure sets the higher.
        Assert.Equal((null, false, null), (after.HaltedUntil, after.AuctionCall, after.AuctionPriceFen));
        Assert.Equal(1_050, after.LastPriceFen);
        Assert.Null(after.BestAskFen);
        Assert.Equal(1_070, after.BestBidFen); // the stop the auction's trade reached rests now
        var buyer = await Exchange.Wallet("auction-buyer").GetSnapshot();
        var buyOrder = buyer.OpenOrders.Single(order => order.OrderId == buy.Order.OrderId);
        Assert.Equal((5L, 3 * 1_050L), (buyOrder.FilledQuantity, buyer.CashReservedFen));
        Assert.Equal(100_000 - 8 * 1_050, buyer.CashAvailableFen);
        var seller = await Exchange.Wallet(Seller(star)).GetOrder(sell.Order.OrderId);
        Assert.Equal(OrderState.Filled, seller!.State);
        var stopAfter = await Exchange.Wallet("auction-stopper").GetOrder(stopBeforeHalt.Order.OrderId);
        Assert.Equal((true, OrderState.Open), (stopAfter!.StopTriggered, stopAfter.State));
        var stopLossAfter = await Exchange.Wallet(Seller(star)).GetOrder(stopLoss.Order!.OrderId);
        Assert.Equal((false, OrderState.Open), (stopLossAfter!.StopTriggered, stopLossAfter.State));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task An_operator_halt_during_the_call_takes_no_orders_and_its_resume_runs_the_auction()
    {
        const string star = "auction-operator";
        await HaltAndCollectAsync(Exchange, star, "auction-op-buyer", sellFen: 1_030, buyFen: 1_030, seconds: 4);

        await Exchange.Book(star).Halt("news pending");
        var refused = await Exchange.LimitAsync("auction-op-buyer", star, Side.Buy, 1_030, 1);
        Exchange.Clock.Advance(TimeSpan.FromMinutes(6));
        var stillHalted = await Exchange.Book(star).GetQuote();
        await Exchange.Book(star).Resume();
        var resumed = await Exchange.Book(star).GetQuote();
        await Exchange.SettleAsync(star);

        Assert.Equal(ErrorCodes.MarketHalted, refused.Error!.Code);
        Assert.DoesNotContain("reopening auction", refused.Error.Message);
        Assert.False(stillHalted.AuctionCall);
        Assert.Equal<(long?, long?, long?)>((1_030, 1_030, 1_060), (stillHalted.BestBidFen, stillHalted.BestAskFen, stillHalted.LastPriceFen));
        Assert.Equal<(long?, long?, long?)>((1_030, null, null), (resumed.LastPriceFen, resumed.BestBidFen, resumed.BestAskFen));
        var buyer = await Exchange.Wallet("auction-op-buyer").GetSnapshot();
        Assert.Equal(4, buyer.Holdings.Single(holding => holding.CelebrityId == star).Available);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_book_nobody_calls_reopens_by_itself_when_its_halt_ends()
    {
        await using var quick = await ExchangeCluster.StartAsync(settings: new Dictionary<string, string> { ["Exchange:VolatilityHaltDuration"] = "00:00:02" });
        const string star = "auction-quiet";
        await HaltAndCollectAsync(quick, star, "auction-quiet-buyer", sellFen: 1_030, buyFen: 1_040, seconds: 3);

        quick.Clock.Advance(TimeSpan.FromSeconds(3));

        // Only the buyer's wallet is asked: the book's own timer must run the auction and settle it.
        var holding = await Eventually.ValueAsync(
            async () => (await quick.Wallet("auction-quiet-buyer").GetSnapshot()).Holdings.SingleOrDefault(h => h.CelebrityId == star)?.Available ?? 0,
            held => held == 3, TimeSpan.FromSeconds(30));
        Assert.Equal(3, holding);
        await quick.SettleAsync(star);
        await quick.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Random_orders_through_a_halt_and_its_auction_conserve_cash_seconds_and_fees()
    {
        const string star = "auction-random";
        var fans = Enumerable.Range(1, 12).Select(i => $"auction-fan-{i:D2}").ToList();

        // The fans buy all 1,200 s issued, so the spike below trades against nothing else.
        var trading = await RandomTrading.SetUpAsync(Exchange, [star], fans, referencePriceFen: 1_000, secondsIssued: 1_200, fundEachFen: 500_000,
            firstBuySeconds: 100, seed: 20261127);
        await Exchange.SettleAsync(star);
        await Exchange.LimitAsync(fans[0], star, Side.Sell, 1_060, 10);
        await Exchange.LimitAsync(fans[1], star, Side.Buy, 1_060, 10);
        Assert.NotNull((await Exchange.Book(star).GetQuote()).HaltedUntil);

        await trading.RunAsync(orders: 300, concurrency: 20);
        var collected = trading.Placed;
        var duringCall = await Exchange.Book(star).GetQuote();
        Exchange.Clock.Advance(TimeSpan.FromMinutes(6));
        await trading.RunAsync(orders: 300, concurrency: 20);
        await Exchange.SettleAsync(star);
        var after = await Exchange.Book(star).GetQuote();

        Assert.True(trading.Failed == 0, $"{trading.Failed} calls failed; the first with {trading.FirstFailure}");
        Assert.True(collected > 100, $"only {collected} orders were collected during the halt");
        Assert.True(duringCall.BestBidFen >= duringCall.BestAskFen, $"the call collected no crossing orders: bid {duringCall.BestBidFen}, ask {duringCall.BestAskFen}");
        Assert.True(after.BestBidFen is null || after.BestAskFen is null || after.BestBidFen < after.BestAskFen, $"crossed after reopening: bid {after.BestBidFen}, ask {after.BestAskFen}");
        var report = await Exchange.AuditAsync();
        Assert.True(report.Passed, Exchange.Explain(report));
        Assert.Equal(1_200, report.SecondsOutstanding[star]);
    }

    private static string Seller(string star) => star + "-seller";

    /// <summary>Lists <paramref name="star"/> at 10.00 CNY/s and leaves its seller holding all 100 s issued.</summary>
    private static async Task ListWithSellerAsync(ExchangeCluster exchange, string star)
    {
        await exchange.ListAndIssueAsync(star, 100, 1_000);
        await exchange.FundAsync(Seller(star), 1_000_000);
        await exchange.FundAsync(star + "-spiker", 1_000_000);
        await exchange.LimitAsync(Seller(star), star, Side.Buy, 1_000, 100);
        await exchange.SettleAsync(star);
    }

    /// <summary>Halts a newly listed book by a spike, then has its seller and a funded buyer send a crossing pair into the call.</summary>
    private static async Task HaltAndCollectAsync(ExchangeCluster exchange, string star, string buyer, long sellFen, long buyFen, long seconds)
    {
        await ListWithSellerAsync(exchange, star);
        await SpikeAsync(exchange, star);
        await exchange.FundAsync(buyer, 100_000);
        Assert.True((await exchange.LimitAsync(Seller(star), star, Side.Sell, sellFen, seconds)).Succeeded);
        Assert.True((await exchange.LimitAsync(buyer, star, Side.Buy, buyFen, seconds)).Succeeded);
    }

    /// <summary>A trade 6% above the last one: a volatility halt.</summary>
    private static async Task SpikeAsync(ExchangeCluster exchange, string star)
    {
        await exchange.LimitAsync(Seller(star), star, Side.Sell, 1_060, 10);
        var spike = await exchange.LimitAsync(star + "-spiker", star, Side.Buy, 1_060, 10);
        Assert.Equal(OrderState.Filled, spike.Order!.State);
        Assert.NotNull((await exchange.Book(star).GetQuote()).HaltedUntil);
        await exchange.SettleAsync(star);
    }
}
