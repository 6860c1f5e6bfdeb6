using Exchange.Domain.Orders;
using Exchange.Domain.Units;

namespace Exchange.Domain.Matching;

/// <summary>
/// Everything that one placement did. Reusable: the engine clears it at the start of each placement, so a hot loop
/// can keep one instance and allocate nothing per order.
/// </summary>
public sealed class ExecutionReport
{
    public long OrderId { get; internal set; }

    public OrderStatus Status { get; internal set; }

    public Seconds Quantity { get; internal set; }

    public Seconds FilledQuantity { get; internal set; }

    /// <summary>Quantity left resting on the book (GTC limit orders only).</summary>
    public Seconds RestingQuantity { get; internal set; }

    /// <summary>Quantity that will never trade: IOC/market remainder, or the whole order when a FOK is killed.</summary>
    public Seconds CancelledQuantity { get; internal set; }

    public List<Fill> Fills { get; } = new(8);

    /// <summary>The owner's own resting orders removed by self-trade prevention.</summary>
    public List<CancelledOrder> SelfTradeCancellations { get; } = new(2);

    internal void Reset(in NewOrder order)
    {
        ResetForAuction();
        OrderId = order.OrderId;
        Quantity = order.Quantity;
    }

    /// <summary>An auction has no arriving order: only its fills, their total and the cancellations count.</summary>
    internal void ResetForAuction()
    {
        OrderId = 0;
        Status = OrderStatus.Open;
        Quantity = Seconds.Zero;
        FilledQuantity = Seconds.Zero;
        RestingQuantity = Seconds.Zero;
        CancelledQuantity = Seconds.Zero;
        Fills.Clear();
        SelfTradeCancellations.Clear();
    }
}
