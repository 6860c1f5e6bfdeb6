namespace Exchange.Abstractions.Contracts;

/// <summary>
/// A fan's request to take cash out. <see cref="Status"/>: "pending" (the amount is held, waiting for an operator to pay
/// it out), "paid" or "rejected" (the amount went back to available); <see cref="Note"/> is the payout reference or
/// the reason for the rejection.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WithdrawalView(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string RequestId,
    [property: Id(2)] long AmountFen,
    [property: Id(3)] string Status,
    [property: Id(4)] DateTimeOffset RequestedAt,
    [property: Id(5)] DateTimeOffset? DecidedAt,
    [property: Id(6)] string? Note);

[GenerateSerializer, Immutable]
public sealed record WithdrawalResult(
    [property: Id(0)] WithdrawalView? Withdrawal,
    [property: Id(1)] bool WasReplay,
    [property: Id(2)] ExchangeError? Error)
{
    public static WithdrawalResult Refused(string code, string message) => new(null, false, new ExchangeError(code, message));
}
