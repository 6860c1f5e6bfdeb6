namespace Exchange.Abstractions.Contracts;

/// <summary>Where a book's settlement stands: events not yet acknowledged, and the last event number it has produced.</summary>
[GenerateSerializer, Immutable]
public sealed record SettlementStatus([property: Id(0)] int Unsettled, [property: Id(1)] long LastSequence);
