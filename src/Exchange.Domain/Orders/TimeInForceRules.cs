namespace Exchange.Domain.Orders;

public static class TimeInForceRules
{
    /// <summary>Whether a limit order with this time in force rests on the book with what it did not fill at once.</summary>
    public static bool Rests(this TimeInForce timeInForce) => timeInForce is TimeInForce.GoodTillCancel or TimeInForce.Day;
}
