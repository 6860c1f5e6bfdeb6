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

        if (RefusedTerms(seconds, priceFen, note, "An offer") is { } badTerms)
        {
            return badTerms;
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

        if (OffersOf(celebrityId).Count(IsWaiting) >= MaxPendingPerCelebrity)
        {
            return TimeOfferResult.Refused(ErrorCodes.TooManyOffers,
                $"'{celebrityId}' has {MaxPendingPerCelebrity} offers waiting for an operator already; withdraw one or wait for a decision.");
        }

        var offer = new TimeOfferView(celebrityId, offerId, offeredBy, seconds, priceFen, NoteOrNone(note), TimeOfferView.Pending, time.UtcNow);
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

        var offer = desk.State.Offers[EntryKey(celebrityId, offerId)];
        return offer.Status == TimeOfferView.Countered
            ? TimeOfferResult.Refused(ErrorCodes.OfferCountered,
                $"Offer '{offerId}' was answered with other terms; the celebrity's side accepts them, or an operator counters or declines it.")
            : await IssueAsync(offer, offer.Seconds, offer.PriceFen, note);
    }

    public async Task<TimeOfferResult> Counter(string celebrityId, string offerId, long seconds, long priceFen, string? note)
    {
        if (Pending(celebrityId, offerId, TimeOfferView.Countered) is { } refusal)
        {
            return refusal;
        }

        if (RefusedTerms(seconds, priceFen, note, "A counter-offer") is { } badTerms)
        {
            return badTerms;
        }

        var key = EntryKey(celebrityId, offerId);
        var counter = new TimeOfferCounter(seconds, priceFen, NoteOrNone(note), time.UtcNow);
        if (desk.State.Offers[key].Counter is { } earlier && (earlier.Seconds, earlier.PriceFen, earlier.Note) == (counter.Seconds, counter.PriceFen, counter.Note))
        {
            return new TimeOfferResult(desk.State.Offers[key], true, null);
        }

        var countered = desk.State.Offers[key] with { Status = TimeOfferView.Countered, Counter = counter };
        desk.State.Offers[key] = countered;
        await desk.WriteStateAsync();
        return new TimeOfferResult(countered, false, null);
    }

    public async Task<TimeOfferResult> AcceptCounter(string celebrityId, string offerId)
    {
        if (Pending(celebrityId, offerId, TimeOfferView.Accepted) is { } refusal)
        {
            return refusal;
        }

        var offer = desk.State.Offers[EntryKey(celebrityId, offerId)];
        if (offer.Counter is not { } counter || offer.Status != TimeOfferView.Countered)
        {
            return TimeOfferResult.Refused(ErrorCodes.OfferNotCountered, $"Offer '{offerId}' has no counter-offer to accept; it waits for an operator.");
        }

        return await IssueAsync(offer, counter.Seconds, counter.PriceFen, counter.Note);
    }

    /// <summary>
    /// Issues the time agreed for <paramref name="offer"/>, then marks it accepted. Issued before the offer is marked: a
    /// crash between the two leaves it waiting, and accepting it again replays the issuance under the same id instead of
    /// buying the time twice.
    /// </summary>
    private async Task<TimeOfferResult> IssueAsync(TimeOfferView offer, long seconds, long priceFen, string? note)
    {
        var key = EntryKey(offer.CelebrityId, offer.OfferId);
        var issuanceId = offer.NextIssuanceId;
        var issuance = await GrainFactory.GetGrain<ICelebrityGrain>(offer.CelebrityId).IssueTime(issuanceId, seconds, priceFen);
        if (!issuance.Succeeded)
        {
            // The next acceptance tries under a new issuance id (the failed one would only replay its failure).
            var failed = desk.State.Offers[key] with { FailedAcceptances = offer.FailedAcceptances + 1 };
            desk.State.Offers[key] = failed;
            await desk.WriteStateAsync();
            return new TimeOfferResult(failed, false, issuance.Error, issuance);
        }

        desk.State.Offers[key] = desk.State.Offers[key] with { IssuanceId = issuanceId };
        var accepted = await CloseAsync(offer.CelebrityId, offer.OfferId, TimeOfferView.Accepted, note);
        return accepted with { Issuance = issuance };
    }

    public Task<IReadOnlyList<TimeOfferView>> List(string? celebrityId, bool pendingOnly) =>
        Task.FromResult<IReadOnlyList<TimeOfferView>>(desk.State.Offers.Values
            .Where(offer => (celebrityId is null || offer.CelebrityId == celebrityId) && (!pendingOnly || IsWaiting(offer)))
            .OrderBy(offer => IsWaiting(offer) ? 0 : 1)
            .ThenByDescending(offer => offer.DecidedAt ?? offer.OfferedAt)
            .ThenBy(offer => offer.CelebrityId, StringComparer.Ordinal)
            .ThenBy(offer => offer.OfferId, StringComparer.Ordinal)
            .ToList());

    /// <summary>Why an offer's or a counter-offer's terms (<paramref name="what"/>) cannot stand; null if they can.</summary>
    private static TimeOfferResult? RefusedTerms(long seconds, long priceFen, string? note, string what) =>
        seconds <= 0 ? TimeOfferResult.Refused(ErrorCodes.InvalidQuantity, $"{what} is for a positive number of seconds.")
        : priceFen <= 0 ? TimeOfferResult.Refused(ErrorCodes.InvalidPrice, $"{what}'s price must be a positive number of fen per second.")
        : (Int128)seconds * priceFen > long.MaxValue ? TimeOfferResult.Refused(ErrorCodes.NotionalTooLarge, "Seconds x price overflows.")
        : note?.Length > MaxNoteLength ? TimeOfferResult.Refused(ErrorCodes.InvalidRequest, $"A note has at most {MaxNoteLength} characters.")
        : null;

    /// <summary>A blank note is none.</summary>
    private static string? NoteOrNone(string? note) => string.IsNullOrWhiteSpace(note) ? null : note;

    private static bool IsWaiting(TimeOfferView offer) => offer.Status is TimeOfferView.Pending or TimeOfferView.Countered;

    /// <summary>
    /// Null while the offer waits (pending or countered) for what <paramref name="becoming"/> asks; a replay when it is
    /// that already (a counter-offer is compared by its caller); else why it cannot become it.
    /// </summary>
    private TimeOfferResult? Pending(string celebrityId, string offerId, string becoming) =>
        !desk.State.Offers.TryGetValue(EntryKey(celebrityId, offerId), out var offer)
            ? TimeOfferResult.Refused(ErrorCodes.UnknownOffer, $"'{celebrityId}' has no offer '{offerId}'.")
            : offer.Status == becoming && becoming != TimeOfferView.Countered ? new TimeOfferResult(offer, true, null)
            : !IsWaiting(offer) ? TimeOfferResult.Refused(ErrorCodes.OfferDecided, $"Offer '{offerId}' was already {offer.Status}.")
            : null;

    private async Task<TimeOfferResult> CloseAsync(string celebrityId, string offerId, string status, string? note)
    {
        if (Pending(celebrityId, offerId, status) is { } refusal)
        {
            return refusal;
        }

        var key = EntryKey(celebrityId, offerId);
        var closed = desk.State.Offers[key] with { Status = status, DecidedAt = time.UtcNow, DecisionNote = NoteOrNone(note) };
        desk.State.Offers[key] = closed;
        foreach (var old in OffersOf(celebrityId).Where(offer => !IsWaiting(offer)).OrderByDescending(offer => offer.DecidedAt).Skip(DecidedKeptPerCelebrity))
        {
            desk.State.Offers.Remove(EntryKey(celebrityId, old.OfferId));
        }

        await desk.WriteStateAsync();
        return new TimeOfferResult(closed, false, null);
    }

    private List<TimeOfferView> OffersOf(string celebrityId) => desk.State.Offers.Values.Where(offer => offer.CelebrityId == celebrityId).ToList();
}
