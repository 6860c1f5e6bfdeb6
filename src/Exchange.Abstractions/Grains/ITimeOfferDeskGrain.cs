using Exchange.Abstractions.Contracts;
using Orleans.CodeGeneration;

namespace Exchange.Abstractions.Grains;

/// <summary>
/// Offers of time from celebrities and their agents, waiting for an operator to accept (primary issuance) or decline
/// them, across all celebrities: they are few, and operators read them all at once.
/// </summary>
[Version(1)]
public interface ITimeOfferDeskGrain : IGrainWithStringKey
{
    const string Key = "desk";

    /// <summary>Records a pending offer. Idempotent per celebrity and offer id; the same id with other terms is refused.</summary>
    Task<TimeOfferResult> Offer(string celebrityId, string offerId, string offeredBy, long seconds, long priceFen, string? note);

    /// <summary>The celebrity's side takes back an offer still pending.</summary>
    Task<TimeOfferResult> Withdraw(string celebrityId, string offerId);

    /// <summary>
    /// An operator's decision. Accepting issues the time (<see cref="ICelebrityGrain.IssueTime"/> under the offer's
    /// <see cref="TimeOfferView.IssuanceId"/>); a refused issuance leaves the offer pending.
    /// </summary>
    Task<TimeOfferResult> Decide(string celebrityId, string offerId, bool accept, string? note);

    /// <summary>Offers of one celebrity, or of all when null, pending first, then newest first.</summary>
    Task<IReadOnlyList<TimeOfferView>> List(string? celebrityId, bool pendingOnly);
}
