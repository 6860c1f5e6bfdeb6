using Exchange.Domain.Units;

namespace Exchange.Domain.Orders;

/// <summary>An order waiting on the book. Linked into its price level so a cancel is O(1).</summary>
public sealed class RestingOrder
{
    internal RestingOrder(long orderId, string owner, string reference, Side side, Price price, Seconds original, Seconds remaining, long sequence)
    {
        OrderId = orderId;
        Owner = owner;
        Reference = reference;
        Side = side;
        Price = price;
        OriginalQuantity = original;
        RemainingQuantity = remaining;
        Sequence = sequence;
    }

    public long OrderId { get; }

    public string Owner { get; }

    public string Reference { get; }

    public Side Side { get; }

    public Price Price { get; }

    public Seconds OriginalQuantity { get; }

    public Seconds RemainingQuantity { get; internal set; }

    /// <summary>Arrival order; lower arrived earlier and has time priority at the same price.</summary>
    public long Sequence { get; }

    internal Matching.PriceLevel? Level { get; set; }

    internal RestingOrder? Previous { get; set; }

    internal RestingOrder? Next { get; set; }
}
