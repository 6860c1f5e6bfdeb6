using Exchange.Domain.Orders;
using Exchange.Domain.Units;

namespace Exchange.Domain.Matching;

/// <summary>What must be saved of a resting order to rebuild the book exactly, priority included.</summary>
public readonly record struct RestingOrderSnapshot(
    long OrderId,
    string Owner,
    string Reference,
    Side Side,
    Price Price,
    Seconds OriginalQuantity,
    Seconds RemainingQuantity,
    long Sequence);
