using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Grains.Grains;

namespace Exchange.Cluster.Tests;

/// <summary>Celebrities and agents offer time; an operator's acceptance is a primary issuance, once.</summary>
public class TimeOfferTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    private ITimeOfferDeskGrain Desk => Exchange.Grains.GetGrain<ITimeOfferDeskGrain>(ITimeOfferDeskGrain.Key);

    [Fact]
    public async Task An_accepted_offer_issues_the_time_once_and_a_declined_or_withdrawn_one_nothing()
    {
        await Exchange.ListAndIssueAsync("offer-star", 10, 500);
        await Exchange.FundAsync(AccountIds.Treasury, 100 * 520);
        var payoutBefore = await Exchange.Wallet(AccountIds.Payout("agent-offer-star")).GetSnapshot();

        var offered = await Desk.Offer("offer-star", "o-1", "agent-offer-star", 100, 520, "Q1 batch");
        var replay = await Desk.Offer("offer-star", "o-1", "agent-offer-star", 100, 520, "Q1 batch");
        var otherTerms = await Desk.Offer("offer-star", "o-1", "agent-offer-star", 100, 530, "Q1 batch");
        var pending = await Desk.List(null, pendingOnly: true);
        var accepted = await Desk.Decide("offer-star", "o-1", accept: true, "signed");
        var acceptedAgain = await Desk.Decide("offer-star", "o-1", accept: true, null);
        var declinedAfter = await Desk.Decide("offer-star", "o-1", accept: false, "too late");
        Exchange.Clock.Advance(TimeSpan.FromSeconds(1)); // lists show the latest decision first
        await Desk.Offer("offer-star", "o-2", "agent-offer-star", 50, 520, null);
        var declined = await Desk.Decide("offer-star", "o-2", accept: false, "price too high");
        Exchange.Clock.Advance(TimeSpan.FromSeconds(1));
        await Desk.Offer("offer-star", "o-3", "agent-offer-star", 50, 520, null);
        var withdrawn = await Desk.Withdraw("offer-star", "o-3");
        var withdrawnAcceptance = await Desk.Decide("offer-star", "o-3", accept: true, null);
        await Exchange.SettleAsync("offer-star");

        Assert.Equal((TimeOfferView.Pending, false), (offered.Offer!.Status, offered.WasReplay));
        Assert.True(replay.WasReplay);
        Assert.Equal(ErrorCodes.DuplicateRequest, otherTerms.Error!.Code);
        Assert.Contains(pending, offer => offer.OfferId == "o-1" && offer.CelebrityId == "offer-star");
        Assert.Equal((TimeOfferView.Accepted, "signed", true), (accepted.Offer!.Status, accepted.Offer.DecisionNote, accepted.Issuance!.Succeeded));
        Assert.Equal(("offer-o-1", "offer-o-1"), (accepted.Issuance.IssuanceId, accepted.Offer.IssuanceId));
        Assert.True(acceptedAgain.WasReplay);
        Assert.Equal(ErrorCodes.OfferDecided, declinedAfter.Error!.Code);
        Assert.Equal((TimeOfferView.Declined, "price too high"), (declined.Offer!.Status, declined.Offer.DecisionNote));
        Assert.Equal(TimeOfferView.Withdrawn, withdrawn.Offer!.Status);
        Assert.Equal(ErrorCodes.OfferDecided, withdrawnAcceptance.Error!.Code);

        // Only the accepted offer bought time: 10 s listed plus 100 s, paid to the agent once.
        var profile = await Exchange.Celebrity("offer-star").GetProfile();
        Assert.Equal(110, profile!.IssuedSeconds);
        var payout = await Exchange.Wallet(AccountIds.Payout("agent-offer-star")).GetSnapshot();
        Assert.Equal(100 * 520, payout.CashAvailableFen - payoutBefore.CashAvailableFen);
        Assert.Contains(new DepthEntry(520, 100, 1), (await Exchange.Book("offer-star").GetDepth(10)).Asks);
        Assert.Empty(await Desk.List("offer-star", pendingOnly: true));
        Assert.Equal(["o-3", "o-2", "o-1"], (await Desk.List("offer-star", pendingOnly: false)).Select(offer => offer.OfferId));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task An_acceptance_the_treasury_cannot_pay_leaves_the_offer_pending_until_it_can()
    {
        await Exchange.ListAndIssueAsync("offer-costly", 10, 500);
        var treasury = await Exchange.Wallet(AccountIds.Treasury).GetSnapshot();
        var seconds = treasury.CashAvailableFen / 1_000 + 1;
        await Desk.Offer("offer-costly", "big", "agent-offer-costly", seconds, 1_000, null);

        var unpaid = await Desk.Decide("offer-costly", "big", accept: true, null);
        await Exchange.FundAsync(AccountIds.Treasury, seconds * 1_000);
        var paid = await Desk.Decide("offer-costly", "big", accept: true, null);

        Assert.Equal(ErrorCodes.InsufficientFunds, unpaid.Error!.Code);
        Assert.Equal(TimeOfferView.Pending, unpaid.Offer!.Status);
        Assert.Equal((TimeOfferView.Accepted, "offer-big-2", 1), (paid.Offer!.Status, paid.Offer.IssuanceId, paid.Offer.FailedAcceptances));
        Assert.Equal(10 + seconds, (await Exchange.Celebrity("offer-costly").GetProfile())!.IssuedSeconds);
        await Exchange.SettleAsync("offer-costly");
        await Exchange.AssertAuditPassesAsync();
    }

    [Theory]
    [InlineData("nobody-listed", 10, 100, null, ErrorCodes.UnknownCelebrity)]
    [InlineData("offer-bad", 0, 100, null, ErrorCodes.InvalidQuantity)]
    [InlineData("offer-bad", -5, 100, null, ErrorCodes.InvalidQuantity)]
    [InlineData("offer-bad", 10, 0, null, ErrorCodes.InvalidPrice)]
    [InlineData("offer-bad", long.MaxValue, 2, null, ErrorCodes.NotionalTooLarge)]
    [InlineData("offer-bad", 10, 100, "far too long", ErrorCodes.InvalidRequest)]
    public async Task A_bad_offer_is_refused_and_leaves_nothing(string celebrityId, long seconds, long priceFen, string? note, string code)
    {
        if (celebrityId == "offer-bad" && await Exchange.Celebrity(celebrityId).GetProfile() is null)
        {
            await Exchange.ListAndIssueAsync(celebrityId, 10, 500);
        }

        var refused = await Desk.Offer(celebrityId, "bad-" + code + seconds, "agent", seconds, priceFen,
            note is null ? null : new string('n', TimeOfferDeskGrain.MaxNoteLength + 1));

        Assert.Equal(code, refused.Error!.Code);
        Assert.Empty(await Desk.List(celebrityId, pendingOnly: false));
    }

    [Fact]
    public async Task A_celebrity_has_at_most_five_offers_waiting_and_a_flagged_or_delisted_one_none()
    {
        await Exchange.ListAndIssueAsync("offer-busy", 10, 500);
        for (var i = 0; i < TimeOfferDeskGrain.MaxPendingPerCelebrity; i++)
        {
            Assert.Null((await Desk.Offer("offer-busy", $"busy-{i}", "agent", 10, 500, null)).Error);
        }

        var sixth = await Desk.Offer("offer-busy", "busy-6", "agent", 10, 500, null);
        await Desk.Withdraw("offer-busy", "busy-0");
        var afterWithdrawal = await Desk.Offer("offer-busy", "busy-6", "agent", 10, 500, null);
        await Exchange.ListAndIssueAsync("offer-flagged", 10, 500);
        await Exchange.Celebrity("offer-flagged").UpdateAudience(1, 1);
        var flagged = await Desk.Offer("offer-flagged", "f", "agent", 10, 500, null);
        await Exchange.ListAndIssueAsync("offer-delisted", 10, 500);
        await Exchange.Celebrity("offer-delisted").Delist("retired");
        var delisted = await Desk.Offer("offer-delisted", "d", "agent", 10, 500, null);

        Assert.Equal(ErrorCodes.TooManyOffers, sixth.Error!.Code);
        Assert.Null(afterWithdrawal.Error);
        Assert.Equal(ErrorCodes.CelebrityFlagged, flagged.Error!.Code);
        Assert.Equal(ErrorCodes.CelebrityDelisted, delisted.Error!.Code);
        Assert.Equal(ErrorCodes.UnknownOffer, (await Desk.Withdraw("offer-busy", "never")).Error!.Code);
    }
}
