using Exchange.Abstractions.Contracts;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;

namespace Exchange.Cluster.Tests;

public class ListingRuleTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    [Theory]
    [InlineData("rule-ok", 5_000, 10_000, null)]
    [InlineData("rule-few-followers", 4_999, 10_000, ErrorCodes.ListingRefused)]
    [InlineData("rule-few-views", 5_000, 9_999, ErrorCodes.ListingRefused)]
    public async Task Listing_applies_the_follower_and_view_minimums_at_their_boundaries(string id, long followers, long views, string? code)
    {
        var error = await Exchange.Celebrity(id).List(new CelebrityListing(id, "gamer", "agency", followers, views));

        Assert.Equal(code, error?.Code);
        Assert.Equal(code is null, await Exchange.Celebrity(id).GetProfile() is not null);
    }

    [Fact]
    public async Task A_celebrity_who_falls_below_is_flagged_gets_no_new_issuance_and_fans_keep_trading()
    {
        await Exchange.ListAndIssueAsync("fading-star", 1_000, 100);
        await Exchange.FundAsync("loyal-fan", 10_000);
        await Exchange.LimitAsync("loyal-fan", "fading-star", Side.Buy, 100, 10);

        var flagged = await Exchange.Celebrity("fading-star").UpdateAudience(3_000, 2_000);
        var issuance = await Exchange.Celebrity("fading-star").IssueTime("more", 500, 100);
        var trade = await Exchange.LimitAsync("loyal-fan", "fading-star", Side.Buy, 100, 5);
        var recovered = await Exchange.Celebrity("fading-star").UpdateAudience(30_000, 20_000);

        Assert.True(flagged!.IsFlagged);
        Assert.Contains("followers", flagged.FlagReason);
        Assert.Equal(ErrorCodes.CelebrityFlagged, issuance.Error!.Code);
        Assert.Equal(OrderState.Filled, trade.Order!.State);
        Assert.False(recovered!.IsFlagged);
        await Exchange.SettleAsync("fading-star");
        Assert.Equal(15, (await Exchange.Wallet("loyal-fan").GetSnapshot()).Holdings.Single().Available);
        await Exchange.AssertAuditPassesAsync();
    }
}
