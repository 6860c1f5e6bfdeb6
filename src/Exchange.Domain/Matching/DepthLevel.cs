using Exchange.Domain.Units;

namespace Exchange.Domain.Matching;

public readonly record struct DepthLevel(Price Price, Seconds Quantity, int OrderCount);
