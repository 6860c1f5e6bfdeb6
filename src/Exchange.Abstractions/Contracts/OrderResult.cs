namespace Exchange.Abstractions.Contracts;

/// <summary>The answer to placing or cancelling an order: the order as it stands, or why it was refused.</summary>
[GenerateSerializer, Immutable]
public sealed record OrderResult(
    [property: Id(0)] OrderView? Order,
    [property: Id(1)] ExchangeError? Error,
    [property: Id(2)] IReadOnlyList<ExecutedFill> Fills,
    [property: Id(3)] bool WasReplay)
{
    public bool Succeeded => Error is null;

    public static OrderResult Refused(string code, string message) => new(null, new ExchangeError(code, message), [], false);
}
