namespace Exchange.Abstractions.Contracts;

/// <summary>Outcome of the platform buying time from a celebrity and offering it on the book.</summary>
[GenerateSerializer, Immutable]
public sealed record IssuanceResult(
    [property: Id(0)] string IssuanceId,
    [property: Id(1)] bool Succeeded,
    [property: Id(2)] bool WasReplay,
    [property: Id(3)] long Seconds,
    [property: Id(4)] long PriceFen,
    [property: Id(5)] long CostFen,
    [property: Id(6)] string? OfferOrderId,
    [property: Id(7)] ExchangeError? Error);
