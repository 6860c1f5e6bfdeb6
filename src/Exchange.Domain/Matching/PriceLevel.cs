using Exchange.Domain.Orders;
using Exchange.Domain.Units;

namespace Exchange.Domain.Matching;

/// <summary>All resting orders at one price, oldest first (a FIFO queue that also allows removal from the middle).</summary>
internal sealed class PriceLevel(Price price)
{
    public Price Price { get; } = price;

    public RestingOrder? Head { get; private set; }

    public RestingOrder? Tail { get; private set; }

    public int OrderCount { get; private set; }

    public long TotalQuantity { get; private set; }

    public bool IsEmpty => Head is null;

    public void Append(RestingOrder order)
    {
        order.Level = this;
        order.Previous = Tail;
        order.Next = null;
        if (Tail is null)
        {
            Head = order;
        }
        else
        {
            Tail.Next = order;
        }

        Tail = order;
        OrderCount++;
        TotalQuantity += order.RemainingQuantity.Value;
    }

    public void Remove(RestingOrder order)
    {
        if (order.Previous is null)
        {
            Head = order.Next;
        }
        else
        {
            order.Previous.Next = order.Next;
        }

        if (order.Next is null)
        {
            Tail = order.Previous;
        }
        else
        {
            order.Next.Previous = order.Previous;
        }

        TotalQuantity -= order.RemainingQuantity.Value;
        OrderCount--;
        order.Level = null;
        order.Previous = null;
        order.Next = null;
    }

    public void Reduce(RestingOrder order, Seconds quantity)
    {
        order.RemainingQuantity -= quantity;
        TotalQuantity -= quantity.Value;
    }
}
