namespace Exchange.Grains.State;

[GenerateSerializer, Immutable]
public sealed record RememberedClientOrder([property: Id(0)] string OrderId, [property: Id(1)] DateTimeOffset PlacedAt);
