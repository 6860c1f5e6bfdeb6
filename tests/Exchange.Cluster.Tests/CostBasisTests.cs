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
