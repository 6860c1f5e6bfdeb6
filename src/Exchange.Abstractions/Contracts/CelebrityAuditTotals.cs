namespace Exchange.Abstractions.Contracts;

/// <summary>
/// A celebrity's side of the moves wallets also count (<see cref="WalletAuditReading"/>). "Counted" totals cover what
/// happened since wallets keep such counts; the rest of the issued and redeemed seconds are the history before, which
/// the audit takes as the celebrity's starting balance.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CelebrityAuditTotals(
    [property: Id(0)] long IssuedSeconds,
    [property: Id(1)] long RedeemedSeconds,
    [property: Id(2)] long IssuedSecondsCounted,
    [property: Id(3)] long RedeemedSecondsCounted,
    [property: Id(4)] long IssuanceCostCountedFen)
{
    public static readonly CelebrityAuditTotals None = new(0, 0, 0, 0, 0);

    /// <summary>Seconds outstanding from before wallets counted issuance and redemption: fixed once they do.</summary>
    public long SecondsOutstandingBeforeCounting => IssuedSeconds - IssuedSecondsCounted - (RedeemedSeconds - RedeemedSecondsCounted);
}
