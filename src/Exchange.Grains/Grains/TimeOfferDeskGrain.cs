using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Domain.Units;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;

namespace Exchange.Grains.Grains;

[NewestSilosOnly]
public sealed class TimeOfferDeskGrain(
    [PersistentState("time-offer-desk", StorageNames.Exchange)] IPersistentState<TimeOfferDeskState> desk,
    ExchangeClock time) : Grain, ITimeOfferDeskGrain
{
    /// <summary>Enough to keep an agent from flooding the desk; a real negotiation has one or two open at a time.</summary>
    public const int MaxPendingPerCelebrity = 5;

    /// <summary>Decided offers kept per celebrity, so that its side can see how its latest ones ended.</summary>
    public const int DecidedKeptPerCelebrity = 20;

    public const int MaxNoteLength = 200;

    private static string EntryKey(string celebrityId, string offerId) => celebrityId + "/" + offerId;

    public async Task<TimeOfferResult> Offer(string celebrityId, string offerId, string offeredBy, long seconds, long priceFen, string? note)
    {
        if (string.IsNullOrWhiteSpace(offerId) || offerId.Length > 64)
        {
            return TimeOfferResult.Refused(ErrorCodes.InvalidRequest, "An offer id of 1 to 64 characters is required.");
        }

        if (desk.State.Offers.TryGetValue(EntryKey(celebrityId, offerId), out var known))
        {
            return known.Seconds == seconds && known.PriceFen == priceFen && known.Note == note
                ? new TimeOfferResult(known, true, null)
                : TimeOfferResult.Refused(ErrorCodes.DuplicateRequest,
                    $"Offer id '{offerId}' was already used for {known.Seconds} s at {new Cash(known.PriceFen)} ({known.PriceFen} fen) per second.");
        }

        if (seconds <= 0)
        {
            return TimeOfferResult.Refused(ErrorCodes.InvalidQuantity, "An offer sells a positive number of seconds.");
        }

        if (priceFen <= 0)
        {
            return TimeOfferResult.Refused(ErrorCodes.InvalidPrice, "The asked price must be a positive number of fen per second.");
        }

        if ((Int128)seconds * priceFen > long.MaxValue)
        {
            return TimeOfferResult.Refused(ErrorCodes.NotionalTooLarge, "Seconds x price overflows.");
        }

        if (note?.Length > MaxNoteLength)
        {
            return TimeOfferResult.Refused(ErrorCodes.InvalidRequest, $"A note has at most {MaxNoteLength} characters.");
        }

        if (await GrainFactory.GetGrain<ICelebrityGrain>(celebrityId).GetProfile() is not { } profile)
        {
            return TimeOfferResult.Refused(ErrorCodes.UnknownCelebrity, $"'{celebrityId}' is not listed.");
        }

        if (profile.DelistReason is { } delisted)
        {
            return TimeOfferResult.Refused(ErrorCodes.CelebrityDelisted, $"'{celebrityId}' is delisted and gets no new issuance: {delisted}");
        }

        if (profile.FlagReason is { } flagged)
        {
            return TimeOfferResult.Refused(ErrorCodes.CelebrityFlagged, $"'{celebrityId}' is flagged for review and gets no new issuance: {flagged}");
        }

        if (OffersOf(celebrityId).Count(offer => offer.Status == TimeOfferView.Pending) >= MaxPendingPerCelebrity)
        {
            return TimeOfferResult.Refused(ErrorCodes.TooManyOffers,
                $"'{celebrityId}' has {MaxPendingPerCelebrity} offers waiting for an operator already; withdraw one or wait for a decision.");
        }

        var offer = new TimeOfferView(celebrityId, offerId, offeredBy, seconds, priceFen, string.IsNullOrWhiteSpace(note) ? null : note, TimeOfferView.Pending, time.UtcNow);
        desk.State.Offers[EntryKey(celebrityId, offerId)] = offer;
        await desk.WriteStateAsync();
        return new TimeOfferResult(offer, false, null);
    }

    public Task<TimeOfferResult> Withdraw(string celebrityId, string offerId) =>
        CloseAsync(celebrityId, offerId, TimeOfferView.Withdrawn, null);

    public async Task<TimeOfferResult> Decide(string celebrityId, string offerId, bool accept, string? note)
    {
        if (note?.Length > MaxNoteLength)
        {
            return TimeOfferResult.Refused(ErrorCodes.InvalidRequest, $"A note has at most {MaxNoteLength} characters.");
        }

        if (!accept)
        {
            return await CloseAsync(celebrityId, offerId, TimeOfferView.Declined, note);
        }

        if (Pending(celebrityId, offerId, TimeOfferView.Accepted) is { } refusal)
        {
            return refusal;
        }

        // Issued before the offer is marked: a crash between the two leaves it pending, and accepting it again replays
        // the issuance under the same id instead of buying the time twice.
        var key = EntryKey(celebrityId, offerId);
        var offer = desk.State.Offers[key];
        var issuanceId = offer.NextIssuanceId;
        var issuance = await GrainFactory.GetGrain<ICelebrityGrain>(celebrityId).IssueTime(issuanceId, offer.Seconds, offer.PriceFen);
        if (!issuance.Succeeded)
        {
            // The next acceptance tries under a new issuance id (the failed one would only replay its failure).
            var failed = desk.State.Offers[key] with { FailedAcceptances = offer.FailedAcceptances + 1 };
            desk.State.Offers[key] = failed;
            await desk.WriteStateAsync();
            return new TimeOfferResult(failed, false, issuance.Error, issuance);
        }

        desk.State.Offers[key] = desk.State.Offers[key] with { IssuanceId = issuanceId };
        var accepted = await CloseAsync(celebrityId, offerId, TimeOfferView.Accepted, note);
        return accepted with { Issuance = issuance };
    }

    public Task<IReadOnlyList<TimeOfferView>> List(string? celebrityId, bool pendingOnly) =>
        Task.FromResult<IReadOnlyList<TimeOfferView>>(desk.State.Offers.Values
            .Where(offer => (celebrityId is null || offer.CelebrityId == celebrityId) && (!pendingOnly || offer.Status == TimeOfferView.Pending))
            .OrderBy(offer => offer.Status == TimeOfferView.Pending ? 0 : 1)
            .ThenByDescending(offer => offer.DecidedAt ?? offer.OfferedAt)
            .ThenBy(offer => offer.CelebrityId, StringComparer.Ordinal)
            .ThenBy(offer => offer.OfferId, StringComparer.Ordinal)
            .ToList());

    /// <summary>Null while the offer is pending; else why it cannot become <paramref name="becoming"/>.</summary>
    private TimeOfferResult? Pending(string celebrityId, string offerId, string becoming) =>
        !desk.State.Offers.TryGetValue(EntryKey(celebrityId, offerId), out var offer)
            ? TimeOfferResult.Refused(ErrorCodes.UnknownOffer, $"'{celebrityId}' has no offer '{offerId}'.")
            : offer.Status == becoming ? new TimeOfferResult(offer, true, null)
            : offer.Status != TimeOfferView.Pending ? TimeOfferResult.Refused(ErrorCodes.OfferDecided, $"Offer '{offerId}' was already {offer.Status}.")
            : null;

    private async Task<TimeOfferResult> CloseAsync(string celebrityId, string offerId, string status, string? note)
    {
        if (Pending(celebrityId, offerId, status) is { } refusal)
        {
            return refusal;
        }

        var key = EntryKey(celebrityId, offerId);
        var closed = desk.State.Offers[key] with { Status = status, DecidedAt = time.UtcNow, DecisionNote = string.IsNullOrWhiteSpace(note) ? null : note };
        desk.State.Offers[key] = closed;
        foreach (var old in OffersOf(celebrityId).Where(offer => offer.Status != TimeOfferView.Pending).OrderByDescending(offer => offer.DecidedAt).Skip(DecidedKeptPerCelebrity))
        {
            desk.State.Offers.Remove(EntryKey(celebrityId, old.OfferId));
        }

        await desk.WriteStateAsync();
        return new TimeOfferResult(closed, false, null);
    }

    private List<TimeOfferView> OffersOf(string celebrityId) => desk.State.Offers.Values.Where(offer => offer.CelebrityId == celebrityId).ToList();
}
