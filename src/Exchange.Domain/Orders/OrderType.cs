namespace Exchange.Domain.Orders;

public enum OrderType
{
    Limit,

    /// <summary>Takes liquidity immediately and never rests; bounded by a protection price (the band edge).</summary>
    Market,
}
