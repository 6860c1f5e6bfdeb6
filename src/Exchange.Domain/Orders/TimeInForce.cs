namespace Exchange.Domain.Orders;

public enum TimeInForce
{
    GoodTillCancel,
    ImmediateOrCancel,
    FillOrKill,

    /// <summary>Rests like <see cref="GoodTillCancel"/> until the trading day ends (when the daily band resets), then is cancelled.</summary>
    Day,
}
