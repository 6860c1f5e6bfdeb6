namespace Exchange.Grains.State;

/// <summary>The commission account's figures for one celebrity, stored as an item of their own (see <see cref="CommissionPersistence"/>).</summary>
[GenerateSerializer, Immutable]
public readonly record struct CelebrityCommission([property: Id(0)] long FeeFen, [property: Id(1)] long CreditedSequence);
