namespace Exchange.Abstractions.Contracts;

/// <summary>What a book took off a resting order asked to keep less: none if it already had no more left.</summary>
[GenerateSerializer, Immutable]
public sealed record BookReduction(
    [property: Id(0)] long ReducedQuantity,
    [property: Id(1)] ExchangeError? Error);
