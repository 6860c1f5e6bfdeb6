using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;

namespace Exchange.Cluster.Tests;

public class PrimaryMarketTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    [Fact]
    public async Task Issuing_time_pays_the_agent_gives_the_treasury_seconds_and_offers_them_on_the_book()
    {
        var treasuryBefore = await Exchange.Wallet(AccountIds.Treasury).GetSnapshot();

        var issued = await Exchange.ListAndIssueAsync("lin-yue", seconds: 10_000, priceFen: 250);

        var treasury = await Exchange.Wallet(AccountIds.Treasury).GetSnapshot();
        var payout = await Exchange.Wallet(AccountIds.Payout("agent-lin-yue")).GetSnapshot();
        var profile = await Exchange.Celebrity("lin-yue").GetProfile();
        var depth = await Exchange.Book("lin-yue").GetDepth(5);

        Assert.Equal(2_500_000, issued.CostFen);
        Assert.Equal(2_500_000, payout.CashAvailableFen);
        Assert.Equal(treasuryBefore.CashAvailableFen, treasury.CashAvailableFen);
        var holding = Assert.Single(treasury.Holdings, h => h.CelebrityId == "lin-yue");
        Assert.Equal(10_000, holding.Reserved);
        Assert.Equal(10_000, profile!.IssuedSeconds);
        var ask = Assert.Single(depth.Asks);
        Assert.Equal((250, 10_000L), (ask.PriceFen, ask.Quantity));
        Assert.Equal(250, depth.Quote.ReferencePriceFen);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Replaying_an_issuance_id_issues_nothing_more()
    {
        var first = await Exchange.ListAndIssueAsync("mo-xiao", seconds: 500, priceFen: 100);

        var replay = await Exchange.Celebrity("mo-xiao").IssueTime("first-mo-xiao", 500, 100);

        Assert.True(replay.WasReplay);
        Assert.Equal(first.OfferOrderId, replay.OfferOrderId);
        Assert.Equal(500, (await Exchange.Celebrity("mo-xiao").GetProfile())!.IssuedSeconds);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task An_issuance_id_used_again_on_other_terms_is_refused_naming_the_first_and_issues_nothing()
    {
        await Exchange.ListAndIssueAsync("mo-terms", seconds: 500, priceFen: 100);
        var treasuryBefore = await Exchange.Wallet(AccountIds.Treasury).GetSnapshot();

        var moreSeconds = await Exchange.Celebrity("mo-terms").IssueTime("first-mo-terms", 501, 100);
        var otherPrice = await Exchange.Celebrity("mo-terms").IssueTime("first-mo-terms", 500, 99);

        Assert.Equal((false, ErrorCodes.DuplicateRequest), (moreSeconds.Succeeded, moreSeconds.Error?.Code));
        Assert.Equal((false, ErrorCodes.DuplicateRequest), (otherPrice.Succeeded, otherPrice.Error?.Code));
        Assert.Contains("500 s at 1.00 CNY (100 fen) per second", moreSeconds.Error!.Message);
        Assert.Equal(500, (await Exchange.Celebrity("mo-terms").GetProfile())!.IssuedSeconds);
        var treasuryAfter = await Exchange.Wallet(AccountIds.Treasury).GetSnapshot();
        Assert.Equal(treasuryBefore.CashAvailableFen, treasuryAfter.CashAvailableFen);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Issuance_the_treasury_cannot_pay_for_is_refused_and_issues_nothing()
    {
        Assert.Null(await Exchange.Celebrity("poor-pat").List(new CelebrityListing("Poor Pat", "gamer", "agent-pp", 100_000, 50_000)));

        var refused = await Exchange.Celebrity("poor-pat").IssueTime("too-big", long.MaxValue / 1000, 100);

        Assert.False(refused.Succeeded);
        Assert.Equal(ErrorCodes.InsufficientFunds, refused.Error!.Code);
        Assert.Equal(0, (await Exchange.Celebrity("poor-pat").GetProfile())!.IssuedSeconds);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_fan_buys_issued_time_and_the_seller_pays_three_percent_commission()
    {
        await Exchange.ListAndIssueAsync("qin-feng", seconds: 1_000, priceFen: 333);
        await Exchange.FundAsync("fan-amy", 100_000);
        var treasuryBefore = await Exchange.Wallet(AccountIds.Treasury).GetSnapshot();
        var commissionBefore = await Exchange.Grains.GetGrain<Exchange.Abstractions.Grains.ICommissionGrain>("platform").GetTotals();

        var bought = await Exchange.LimitAsync("fan-amy", "qin-feng", Side.Buy, 333, 7);
        await Exchange.SettleAsync("qin-feng");

        Assert.True(bought.Succeeded, bought.Error?.Message);
        Assert.Equal(OrderState.Filled, bought.Order!.State);
        var fill = Assert.Single(bought.Fills);
        Assert.Equal((333, 7L), (fill.PriceFen, fill.Quantity));

        var fan = await Exchange.Wallet("fan-amy").GetSnapshot();
        Assert.Equal(100_000 - 2_331, fan.CashAvailableFen);
        Assert.Equal(0, fan.CashReservedFen);
        Assert.Equal(7, Assert.Single(fan.Holdings).Available);

        // 3% of 2,331 fen is 69.93 fen: rounded half up to 70, paid by the seller (the treasury).
        var treasury = await Exchange.Wallet(AccountIds.Treasury).GetSnapshot();
        Assert.Equal(treasuryBefore.CashAvailableFen + 2_331 - 70, treasury.CashAvailableFen);
        var commission = await Exchange.Grains.GetGrain<Exchange.Abstractions.Grains.ICommissionGrain>("platform").GetTotals();
        Assert.Equal(commissionBefore.TotalFen + 70, commission.TotalFen);
        await Exchange.AssertAuditPassesAsync();
    }
}
