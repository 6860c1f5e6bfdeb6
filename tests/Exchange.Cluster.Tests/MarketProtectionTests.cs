using Exchange.Abstractions.Contracts;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;

namespace Exchange.Cluster.Tests;

public class MarketProtectionTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    [Fact]
    public async Task A_move_beyond_five_percent_halts_trading_until_the_halt_expires()
    {
        await Exchange.ListAndIssueAsync("feng-yi", 100, 1_000);
        await Exchange.FundAsync("fan-vol", 1_000_000);
        await Exchange.LimitAsync("fan-vol", "feng-yi", Side.Buy, 1_000, 100);
        await Exchange.SettleAsync("feng-yi");
        await Exchange.FundAsync("fan-vol2", 1_000_000);
        await Exchange.LimitAsync("fan-vol", "feng-yi", Side.Sell, 1_060, 10);

        var spike = await Exchange.LimitAsync("fan-vol2", "feng-yi", Side.Buy, 1_060, 10);
        var duringHalt = await Exchange.MarketAsync("fan-vol2", "feng-yi", Side.Buy, 1); // limit orders wait for the reopening auction (ReopeningAuctionTests)
        var quote = await Exchange.Book("feng-yi").GetQuote();
        Exchange.Clock.Advance(TimeSpan.FromMinutes(6));
        var afterHalt = await Exchange.LimitAsync("fan-vol2", "feng-yi", Side.Buy, 1_000, 1);

        Assert.Equal(OrderState.Filled, spike.Order!.State);
        Assert.Equal(ErrorCodes.MarketHalted, duringHalt.Error!.Code);
        Assert.NotNull(quote.HaltedUntil);
        Assert.Contains("volatility", quote.HaltReason);
        Assert.True(afterHalt.Succeeded, afterHalt.Error?.Message);
        await Exchange.SettleAsync("feng-yi");
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task An_operator_halt_refuses_orders_until_resumed_but_cancels_still_work()
    {
        await Exchange.ListAndIssueAsync("kong-li", 100, 500);
        await Exchange.FundAsync("fan-op", 100_000);
        var resting = await Exchange.LimitAsync("fan-op", "kong-li", Side.Buy, 480, 10);

        await Exchange.Book("kong-li").Halt("news pending");
        var refused = await Exchange.LimitAsync("fan-op", "kong-li", Side.Buy, 500, 1);
        var cancel = await Exchange.Wallet("fan-op").CancelOrder(resting.Order!.OrderId);
        await Exchange.Book("kong-li").Resume();
        var accepted = await Exchange.LimitAsync("fan-op", "kong-li", Side.Buy, 500, 1);

        Assert.Equal(ErrorCodes.MarketHalted, refused.Error!.Code);
        Assert.Contains("news pending", refused.Error.Message);
        Assert.True(cancel.Succeeded);
        Assert.True(accepted.Succeeded);
        await Exchange.SettleAsync("kong-li");
        var fan = await Exchange.Wallet("fan-op").GetSnapshot();
        Assert.Equal((100_000 - 500, 0L), (fan.CashAvailableFen, fan.CashReservedFen));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task The_band_follows_the_previous_close_on_a_new_trading_day()
    {
        var (beforeMidnight, nextDay, quote) = await CloseAt1040ThenBuyAt1130Across(Exchange, "ren-da", TimeSpan.FromDays(1));

        AssertTheBandRolledTo1040(beforeMidnight, nextDay, quote);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task The_trading_day_rolls_at_midnight_in_the_configured_time_zone_not_at_utc_midnight()
    {
        await using var beijing = await ExchangeCluster.StartAsync(settings: new Dictionary<string, string> { ["Exchange:TradingDayTimeZone"] = "Asia/Shanghai" });
        var clock = beijing.Clock;
        clock.SetUtcNow(new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date.AddHours(15), TimeSpan.Zero)); // 23:00 in Beijing

        // 90 minutes on it is 00:30 in Beijing, still 16:30 of the same UTC day.
        var (beforeMidnight, afterMidnight, quote) = await CloseAt1040ThenBuyAt1130Across(beijing, "bei-jing", TimeSpan.FromMinutes(90));

        AssertTheBandRolledTo1040(beforeMidnight, afterMidnight, quote);
        await beijing.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_halt_of_the_whole_exchange_stops_every_book_and_lifting_it_keeps_a_celebritys_own_halt()
    {
        await Exchange.ListAndIssueAsync("quan-a", 100, 1_000);
        await Exchange.ListAndIssueAsync("quan-b", 100, 1_000);
        await Exchange.FundAsync("fan-quan", 1_000_000);
        await Exchange.Book("quan-a").Halt("quan-a under review");

        await Task.WhenAll(Exchange.Book("quan-a").HaltMarket("exchange incident"), Exchange.Book("quan-b").HaltMarket("exchange incident"));
        var duringA = await Exchange.LimitAsync("fan-quan", "quan-a", Side.Buy, 1_000, 1);
        var duringB = await Exchange.LimitAsync("fan-quan", "quan-b", Side.Buy, 1_000, 1);
        var quoteDuring = await Exchange.Book("quan-b").GetQuote();
        await Task.WhenAll(Exchange.Book("quan-a").ResumeMarket(), Exchange.Book("quan-b").ResumeMarket());
        var afterA = await Exchange.LimitAsync("fan-quan", "quan-a", Side.Buy, 1_000, 1);
        var afterB = await Exchange.LimitAsync("fan-quan", "quan-b", Side.Buy, 1_000, 1);

        Assert.Equal(ErrorCodes.MarketHalted, duringA.Error!.Code);
        Assert.Contains("whole exchange is halted: exchange incident", duringB.Error!.Message);
        Assert.Equal(("exchange incident", DateTimeOffset.MaxValue), (quoteDuring.HaltReason, quoteDuring.HaltedUntil));
        Assert.Contains("quan-a under review", afterA.Error!.Message);
        Assert.True(afterB.Succeeded, afterB.Error?.Message);
        Assert.Equal(1, afterB.Order!.FilledQuantity);
        await Exchange.SettleAsync("quan-b");
        await Exchange.AssertAuditPassesAsync();
    }

    /// <summary>
    /// Issues at 10.00 CNY/s, trades to a close of 10.40, then bids 11.30 (outside 9.00-11.00 today, inside 9.36-11.44
    /// once 10.40 is the reference) before and after moving the clock on.
    /// </summary>
    private static async Task<(OrderResult Before, OrderResult After, MarketQuote Quote)> CloseAt1040ThenBuyAt1130Across(
        ExchangeCluster exchange, string celebrityId, TimeSpan clockMove)
    {
        var (fan, otherFan) = ($"{celebrityId}-fan", $"{celebrityId}-fan2");
        await exchange.ListAndIssueAsync(celebrityId, 1_000, 1_000);
        await exchange.FundAsync(fan, 10_000_000);
        await exchange.LimitAsync(fan, celebrityId, Side.Buy, 1_000, 1_000);
        await exchange.SettleAsync(celebrityId);
        await exchange.FundAsync(otherFan, 10_000_000);
        await exchange.LimitAsync(fan, celebrityId, Side.Sell, 1_040, 10);
        await exchange.LimitAsync(otherFan, celebrityId, Side.Buy, 1_040, 10); // the day's close: 1,040
        var before = await exchange.LimitAsync(otherFan, celebrityId, Side.Buy, 1_130, 1);

        exchange.Clock.Advance(clockMove);
        var after = await exchange.LimitAsync(otherFan, celebrityId, Side.Buy, 1_130, 1);
        var quote = await exchange.Book(celebrityId).GetQuote();
        await exchange.SettleAsync(celebrityId);
        return (before, after, quote);
    }

    /// <summary>11.30 was outside the first day's band and inside the next one's, which centres on the 10.40 close.</summary>
    private static void AssertTheBandRolledTo1040(OrderResult before, OrderResult after, MarketQuote quote)
    {
        Assert.Equal(ErrorCodes.PriceOutsideBand, before.Error!.Code);
        Assert.True(after.Succeeded, after.Error?.Message);
        Assert.Equal((1_040L, 936L, 1_144L), (quote.ReferencePriceFen, quote.BandLowerFen, quote.BandUpperFen));
    }
}
