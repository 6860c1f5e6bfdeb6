namespace Exchange.Abstractions.Contracts;

/// <summary>Why a request was refused: a code from <see cref="ErrorCodes"/> and a sentence for people.</summary>
[GenerateSerializer, Immutable]
public sealed record ExchangeError([property: Id(0)] string Code, [property: Id(1)] string Message);
