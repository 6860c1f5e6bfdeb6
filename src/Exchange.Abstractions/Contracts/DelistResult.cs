namespace Exchange.Abstractions.Contracts;

/// <summary>A delisted celebrity and how many resting orders its book cancelled (none when the delisting is repeated).</summary>
[GenerateSerializer, Immutable]
public sealed record DelistResult([property: Id(0)] CelebrityProfile Celebrity, [property: Id(1)] int CancelledOrders);
