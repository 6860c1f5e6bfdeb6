using Exchange.Domain.Units;

namespace Exchange.Domain.Protection;

public readonly record struct PricePoint(DateTimeOffset Time, Price Price);
