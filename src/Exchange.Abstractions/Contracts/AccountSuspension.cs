namespace Exchange.Abstractions.Contracts;

/// <summary>An account's standing after an operator suspended or reinstated it, and the open orders a suspension cancelled.</summary>
[GenerateSerializer, Immutable]
public sealed record AccountSuspension(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string? SuspendedReason,
    [property: Id(2)] int OrdersCancelled,
    [property: Id(3)] ExchangeError? Error = null)
{
    public bool Suspended => SuspendedReason is not null;
}
