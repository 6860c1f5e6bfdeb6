namespace Exchange.Abstractions.Contracts;

/// <summary>A payment the provider reported and the exchange credited: a fan's top-up.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentRecord(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] long AmountFen,
    [property: Id(2)] DateTimeOffset ReceivedAt);
