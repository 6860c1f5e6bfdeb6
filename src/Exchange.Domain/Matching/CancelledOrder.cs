using Exchange.Domain.Orders;
using Exchange.Domain.Units;

namespace Exchange.Domain.Matching;

/// <summary>A resting order taken off the book, with the quantity that will now never trade.</summary>
public readonly record struct CancelledOrder(long OrderId, string Owner, string Reference, Side Side, Price Price, Seconds CancelledQuantity);
