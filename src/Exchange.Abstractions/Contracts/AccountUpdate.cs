namespace Exchange.Abstractions.Contracts;

/// <summary>
/// What changed in one account, pushed to whoever watches it: the orders that changed (as they stand now), the trades
/// the account took part in, and its cash and the holdings of the celebrities concerned after the change.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AccountUpdate(
    [property: Id(0)] string AccountId,
    [property: Id(1)] IReadOnlyList<OrderView> Orders,
    [property: Id(2)] IReadOnlyList<TradeRecord> Trades,
    [property: Id(3)] long CashAvailableFen,
    [property: Id(4)] long CashReservedFen,
    [property: Id(5)] IReadOnlyList<HoldingView> Holdings,
    [property: Id(6)] long CashHeldForWithdrawalsFen);
