namespace Exchange.Abstractions.Contracts;

/// <summary>The commission account as the audit reads it: its totals, and per celebrity the last trade whose fee it holds.</summary>
[GenerateSerializer, Immutable]
public sealed record CommissionAuditReading(
    [property: Id(0)] CommissionTotals Totals,
    [property: Id(1)] IReadOnlyDictionary<string, long> CreditedSequence);
