using Exchange.Abstractions.Contracts;
using Orleans.CodeGeneration;

namespace Exchange.Abstractions.Grains;

/// <summary>A listed celebrity: profile and the totals of seconds issued and redeemed. Key: celebrity id.</summary>
[Version(5)]
public interface ICelebrityGrain : IGrainWithStringKey
{
    Task<ExchangeError?> List(CelebrityListing listing);

    Task<CelebrityProfile?> GetProfile();

    /// <summary>Issued and redeemed totals for the audit, listed or not.</summary>
    Task<CelebrityAuditTotals> GetAuditTotals();

    /// <summary>
    /// New audience figures. A listed celebrity who falls below the listing rules is flagged for operators: no new
    /// issuance, while trading and fans' holdings carry on untouched. Rising above them again clears the flag.
    /// </summary>
    Task<CelebrityProfile?> UpdateAudience(long followers, long averageViewsPerPost);

    /// <summary>
    /// Primary market: the treasury buys <paramref name="seconds"/> at <paramref name="priceFen"/> per second (cash to
    /// the payout account, seconds to the treasury) and offers them on the book at that price. Idempotent per issuance id.
    /// </summary>
    Task<IssuanceResult> IssueTime(string issuanceId, long seconds, long priceFen);

    /// <summary>
    /// Counts seconds burned by a redemption into the redeemed total, once per redemption id: a repeat within
    /// <c>Exchange:RedemptionIdMemory</c> (30 days) of the first is ignored.
    /// </summary>
    /// <param name="counted">Whether the wallet counted the burn too (see <see cref="CelebrityAuditTotals"/>): false only for a redemption the previous build began.</param>
    Task RecordRedemption(string redemptionId, long seconds, bool counted);

    /// <summary>
    /// Takes the celebrity off the market until an operator relists it: its book cancels every resting order (releasing
    /// what they reserved) and refuses new ones, and no time is issued. Fans keep their seconds and may still redeem
    /// them. Repeating it finishes a delisting a crash interrupted. Null if the celebrity is not listed.
    /// </summary>
    Task<DelistResult?> Delist(string reason);

    /// <summary>
    /// Undoes a delisting: the book takes orders again (the orders the delisting cancelled stay cancelled) and time may
    /// be issued again. Nothing to do for a celebrity that is not delisted. Null if the celebrity is not listed.
    /// </summary>
    Task<CelebrityProfile?> Relist();

    /// <summary>
    /// Another agent represents the celebrity from now on (empty: none, the celebrity acts for itself): it is paid for
    /// time issued from now on and acts for the celebrity instead of the previous one. Time bought under the previous
    /// agent is paid to it: an issuance a crash left unfinished is finished first. Null if the celebrity is not listed.
    /// </summary>
    Task<AgentChange?> ChangeAgent(string agentId);

    /// <summary>Finishes any issuance interrupted by a crash. Returns the number still unfinished.</summary>
    Task<int> CompletePendingIssuances();
}
