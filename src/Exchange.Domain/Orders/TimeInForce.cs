namespace Exchange.Domain.Orders;

public enum TimeInForce
{
    GoodTillCancel,
    ImmediateOrCancel,
    FillOrKill,
}
