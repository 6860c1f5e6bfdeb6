namespace Exchange.Abstractions.Contracts;

/// <summary>Result of checking DESIGN.md's invariants over every account. Passed means no violation at all.</summary>
[GenerateSerializer, Immutable]
public sealed record AuditReport(
    [property: Id(0)] bool Passed,
    [property: Id(1)] IReadOnlyList<string> Violations,
    [property: Id(2)] long TotalCashFen,
    [property: Id(3)] long NetDepositsFen,
    [property: Id(4)] long CommissionTotalFen,
    [property: Id(5)] long JournalCommissionFen,
    [property: Id(6)] long JournalTradeCount,
    [property: Id(7)] int AccountCount,
    [property: Id(8)] int CelebrityCount,
    [property: Id(9)] IReadOnlyDictionary<string, long> SecondsOutstanding);
