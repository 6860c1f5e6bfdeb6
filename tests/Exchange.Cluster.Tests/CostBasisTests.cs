using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;
using Exchange.Domain.Redemption;
using Exchange.Grains.State;

namespace Exchange.Cluster.Tests;

/// <summary>A holding's cost: buys add what they paid, and seconds sold or redeemed take their average share with them.</summary>
public class CostBasisTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    private async Task<HoldingView> HoldingAsync(string fan, string celebrityId) =>
        (await Exchange.Wallet(fan).GetSnapshot()).Holdings.Single(h => h.CelebrityId == celebrityId);

    private async Task TradeAsync(string seller, string buyer, string celebrityId, long price, long quantity)
    {
        Assert.Equal(OrderState.Open, (await Exchange.LimitAsync(seller, celebrityId, Side.Sell, price, quantity)).Order!.State);
        Assert.Equal(OrderState.Filled, (await Exchange.LimitAsync(buyer, celebrityId, Side.Buy, price, quantity)).Order!.State);
        await Exchange.SettleAsync(celebrityId);
    }

    [Fact]
    public async Task Buys_add_what_they_paid_and_sales_and_redemptions_take_their_average_share()
    {
        const string star = "cost-star";
        await Exchange.ListAndIssueAsync(star, 1_000_000, 100);
        await Exchange.FundAsync("cost-fan", 1_000_000);
        await Exchange.FundAsync("cost-other", 1_000_000);
        await Exchange.LimitAsync("cost-fan", star, Side.Buy, 100, 1_000);
        await Exchange.LimitAsync("cost-other", star, Side.Buy, 100, 500);
        await Exchange.SettleAsync(star);

        // Below the treasury's offer, so the fan buys from the other fan. The seller's fee comes out of its proceeds:
        // the buyer's cost is exactly price x quantity.
        await TradeAsync("cost-other", "cost-fan", star, 95, 200);
        var afterBuys = await HoldingAsync("cost-fan", star);
        var seller = await HoldingAsync("cost-other", star);

        var scheduler = Exchange.Grains.GetGrain<ISchedulerGrain>(star);
        Assert.True((await scheduler.RedeemChat("cost-chat", "cost-fan", 200)).Succeeded);
        var afterChat = await HoldingAsync("cost-fan", star);

        var slot = await scheduler.Publish(new SlotRequest("cost-call", Exchange.Clock.GetUtcNow().AddMinutes(10), TimeSpan.FromMinutes(20), SlotKind.VideoCall, null, 600));
        Assert.Null(slot.Error);
        Assert.Null((await scheduler.Book("cost-call", "cost-fan")).Error);
        var whileHeld = await HoldingAsync("cost-fan", star);
        Exchange.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Null((await scheduler.Fulfil("cost-call")).Error);
        await Exchange.DeactivateIdleGrainsAsync();
        var afterCall = await HoldingAsync("cost-fan", star);

        await TradeAsync("cost-fan", "cost-other", star, 99, 400);
        var emptied = (await Exchange.Wallet("cost-fan").GetSnapshot()).Holdings.SingleOrDefault(h => h.CelebrityId == star);
        await Exchange.LimitAsync("cost-fan", star, Side.Buy, 100, 10);
        await Exchange.SettleAsync(star);
        var again = await HoldingAsync("cost-fan", star);

        Assert.Equal((1_200L, 119_000L), (afterBuys.Total, afterBuys.CostFen!.Value));
        Assert.Equal((300L, 30_000L), (seller.Total, seller.CostFen!.Value));
        Assert.Equal((1_000L, 119_000L - 19_833), (afterChat.Total, afterChat.CostFen!.Value)); // 119,000 x 200 / 1,200, rounded down
        Assert.Equal((600L, afterChat.CostFen), (whileHeld.HeldForBookings, whileHeld.CostFen));
        Assert.Equal((400L, 99_167L - 59_500), (afterCall.Total, afterCall.CostFen!.Value)); // kept over a reactivation
        Assert.Null(emptied);
        Assert.Equal((10L, 1_000L), (again.Total, again.CostFen!.Value));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Sales_realise_their_proceeds_after_the_fee_less_their_cost_and_the_record_outlives_the_holding()
    {
        const string star = "gain-star";
        await Exchange.ListAndIssueAsync(star, 1_500, 100);
        await Exchange.FundAsync("gain-fan", 1_000_000);
        await Exchange.FundAsync("gain-buyer", 1_000_000);
        await Exchange.LimitAsync("gain-fan", star, Side.Buy, 100, 1_000);
        await Exchange.LimitAsync("gain-buyer", star, Side.Buy, 100, 500); // the treasury's offer is gone: fans trade with fans
        await Exchange.SettleAsync(star);
        var bought = await HoldingAsync("gain-fan", star);

        await TradeAsync("gain-fan", "gain-buyer", star, 104, 300); // moves under 5%, so no volatility halt
        var afterProfit = await HoldingAsync("gain-fan", star);
        await TradeAsync("gain-fan", "gain-buyer", star, 99, 700);
        await Exchange.DeactivateIdleGrainsAsync();
        var soldOut = await Exchange.Wallet("gain-fan").GetSnapshot();
        await Exchange.LimitAsync("gain-buyer", star, Side.Sell, 100, 10);
        await Exchange.LimitAsync("gain-fan", star, Side.Buy, 100, 10);
        await Exchange.SettleAsync(star);
        var boughtAgain = await HoldingAsync("gain-fan", star);

        Assert.Equal((100_000L, 0L), (bought.CostFen!.Value, bought.RealisedGainFen!.Value));
        // 300 x 1.04 = 312.00 less the 3% fee of 9.36, less 300 of 1,000 s that cost 1,000.00: +2.64.
        Assert.Equal((70_000L, 264L), (afterProfit.CostFen!.Value, afterProfit.RealisedGainFen!.Value));
        // 700 x 0.99 = 693.00 less 20.79, less the last 700.00 of cost: -27.79.
        Assert.DoesNotContain(soldOut.Holdings, holding => holding.CelebrityId == star);
        Assert.Equal(264L - 2_779, soldOut.RealisedGainFen);
        Assert.Equal((1_000L, 264L - 2_779), (boughtAgain.CostFen!.Value, boughtAgain.RealisedGainFen!.Value));
        // The buyer's 1,500 s cost 500.00 + 312.00 + 693.00; 10 s sold at 1.00 bring 9.70 and take 10.03 of it.
        Assert.Equal(970L - 1_003, (await HoldingAsync("gain-buyer", star)).RealisedGainFen);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public void A_sale_of_seconds_whose_cost_was_not_recorded_leaves_the_holdings_realised_gain_unknown_and_out_of_the_total()
    {
        var holding = new HoldingState { Reserved = 50 };

        holding.Sell(20, 5_000);

        Assert.Null(holding.ToView("old-star").RealisedGainFen);
        Assert.Equal(0, holding.RealisedGainFen);
    }

    [Fact]
    public void A_holding_an_earlier_build_began_shows_no_cost_until_it_is_emptied()
    {
        var holding = new HoldingState { Available = 50 };

        Assert.Null(holding.ToView("old-star").CostFen);
        holding.Gain(10, 1_000);
        Assert.Null(holding.ToView("old-star").CostFen);
        holding.LoseCostOf(60);
        holding.Available = 0;
        holding.Gain(10, 1_000);

        Assert.Equal(1_000, holding.ToView("old-star").CostFen);
    }

    [Fact]
    public void More_seconds_leaving_than_are_held_empty_the_cost_rather_than_stop_settlement()
    {
        var holding = new HoldingState();
        holding.Gain(10, 1_000);

        holding.LoseCostOf(11);

        Assert.Equal(0, holding.CostFen);
    }
}
