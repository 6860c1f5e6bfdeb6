namespace Exchange.Abstractions.Contracts;

/// <summary>
/// Cash the exchange's staff put into (positive) or took out of (negative) an account by hand, with the note they gave:
/// a goodwill credit, a correction, a payout made outside the withdrawal desk.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CashAdjustment(
    [property: Id(0)] string IdempotencyKey,
    [property: Id(1)] long AmountFen,
    [property: Id(2)] string? Note,
    [property: Id(3)] DateTimeOffset MadeAt);
