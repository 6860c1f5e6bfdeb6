namespace Exchange.Abstractions.Contracts;

/// <summary>Outcome of a deposit, withdrawal or issuance leg. Replaying the same key returns success without moving money again.</summary>
[GenerateSerializer, Immutable]
public sealed record TransferResult(
    [property: Id(0)] bool Succeeded,
    [property: Id(1)] bool WasReplay,
    [property: Id(2)] ExchangeError? Error)
{
    public static TransferResult Done { get; } = new(true, false, null);

    public static TransferResult Replayed { get; } = new(true, true, null);

    public static TransferResult Refused(string code, string message) => new(false, false, new ExchangeError(code, message));
}
