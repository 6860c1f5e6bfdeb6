using Exchange.Abstractions.Contracts;
using Orleans.CodeGeneration;

namespace Exchange.Abstractions.Grains;

/// <summary>
/// Offers of time from celebrities and their agents, waiting for an operator to accept (primary issuance) or decline
/// them, across all celebrities: they are few, and operators read them all at once.
/// </summary>
[Version(2)]
public interface ITimeOfferDeskGrain : IGrainWithStringKey
{
    const string Key = "desk";

    /// <summary>Records a pending offer. Idempotent per celebrity and offer id; the same id with other terms is refused.</summary>
    Task<TimeOfferResult> Offer(string celebrityId, string offerId, string offeredBy, long seconds, long priceFen, string? note);

    /// <summary>The celebrity's side takes back an offer still waiting (pending or countered).</summary>
    Task<TimeOfferResult> Withdraw(string celebrityId, string offerId);

    /// <summary>
    /// An operator's decision. Accepting issues the time (<see cref="ICelebrityGrain.IssueTime"/> under the offer's
    /// <see cref="TimeOfferView.IssuanceId"/>); a refused issuance leaves the offer pending.
    /// </summary>
    Task<TimeOfferResult> Decide(string celebrityId, string offerId, bool accept, string? note);

    /// <summary>
    /// An operator answers a waiting offer with other terms (again, if it was countered already): the offer waits for the
    /// celebrity's side to accept them, and no operator may accept its first terms meanwhile.
    /// </summary>
    Task<TimeOfferResult> Counter(string celebrityId, string offerId, long seconds, long priceFen, string? note);

    /// <summary>
    /// The celebrity's side takes an operator's counter-offer: the time is issued on its terms, as an operator's
    /// acceptance would (a refused issuance leaves it countered, to be accepted again). A repeat answers it again.
    /// </summary>
    Task<TimeOfferResult> AcceptCounter(string celebrityId, string offerId);

    /// <summary>Offers of one celebrity, or of all when null, waiting ones (pending or countered) first, then newest first.</summary>
    Task<IReadOnlyList<TimeOfferView>> List(string? celebrityId, bool pendingOnly);
}
