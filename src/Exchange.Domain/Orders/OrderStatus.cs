namespace Exchange.Domain.Orders;

public enum OrderStatus
{
    /// <summary>Resting on the book with nothing filled yet.</summary>
    Open,
    PartiallyFilled,
    Filled,

    /// <summary>Done with part or all of the quantity cancelled (by the owner, IOC/market remainder, or self-trade prevention).</summary>
    Cancelled,

    /// <summary>A fill-or-kill order that could not be filled completely; nothing traded.</summary>
    Killed,
}
