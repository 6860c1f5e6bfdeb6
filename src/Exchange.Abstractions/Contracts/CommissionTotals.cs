namespace Exchange.Abstractions.Contracts;

[GenerateSerializer, Immutable]
public sealed record CommissionTotals(
    [property: Id(0)] long TotalFen,
    [property: Id(1)] long TradeCount,
    [property: Id(2)] IReadOnlyDictionary<string, long> ByCelebrityFen,
    [property: Id(3)] IReadOnlyDictionary<DateOnly, long> ByDayFen);
