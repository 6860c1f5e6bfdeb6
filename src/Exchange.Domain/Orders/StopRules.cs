using Exchange.Domain.Units;

namespace Exchange.Domain.Orders;

public static class StopRules
{
    /// <summary>
    /// A sell stop protects against a fall, so a trade at or below it triggers it; a buy stop, at or above it. A stop
    /// the last trade already reached would trigger at once: the book refuses it rather than guess what was meant.
    /// </summary>
    public static bool IsReached(Side side, Price stopPrice, Price lastTradePrice) =>
        side == Side.Sell ? lastTradePrice <= stopPrice : lastTradePrice >= stopPrice;
}
