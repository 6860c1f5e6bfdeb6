namespace Exchange.Domain.Orders;

public enum Side
{
    Buy,
    Sell,
}
