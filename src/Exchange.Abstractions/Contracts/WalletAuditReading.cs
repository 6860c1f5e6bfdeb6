namespace Exchange.Abstractions.Contracts;

/// <summary>
/// What the audit reads of one wallet, all from one grain turn: its balances, and running totals of the moves that
/// another grain completes with a second call. Each total changes in the same turn as the balance it explains, so the
/// audit can balance the books whichever side of such a move it reads first.
/// </summary>
/// <param name="IssuancesPaidFen">Cash the treasury has paid for issued time; payout accounts receive it in a second call.</param>
/// <param name="IssuancesReceivedFen">Cash a payout account has received for issued time.</param>
/// <param name="SecondsIssued">Per celebrity, seconds received by issuance (the treasury's); the celebrity counts them afterwards.</param>
/// <param name="SecondsRedeemed">Per celebrity, seconds this wallet burned in chats, calls and meet-ups; the celebrity counts them too.</param>
/// <param name="AppliedBookEvents">Per celebrity, the last event of its book this wallet applied: tells which trades the balances include.</param>
[GenerateSerializer, Immutable]
public sealed record WalletAuditReading(
    [property: Id(0)] WalletSnapshot Balances,
    [property: Id(1)] long IssuancesPaidFen,
    [property: Id(2)] long IssuancesReceivedFen,
    [property: Id(3)] IReadOnlyDictionary<string, long> SecondsIssued,
    [property: Id(4)] IReadOnlyDictionary<string, long> SecondsRedeemed,
    [property: Id(5)] IReadOnlyDictionary<string, long> AppliedBookEvents);
