using Exchange.Domain.Matching;
using Exchange.Domain.Orders;
using Exchange.Domain.Units;

namespace Exchange.Domain.Tests;

/// <summary>Short ways to write orders in tests.</summary>
internal sealed class OrderFactory
{
    private long _nextId = 1;

    public NewOrder Limit(string owner, Side side, long price, long quantity, TimeInForce tif = TimeInForce.GoodTillCancel) =>
        new(_nextId++, owner, side, OrderType.Limit, tif, new Price(price), new Seconds(quantity));

    public NewOrder Market(string owner, Side side, long quantity, long protectionPrice = 0, TimeInForce tif = TimeInForce.ImmediateOrCancel) =>
        new(_nextId++, owner, side, OrderType.Market, tif, new Price(protectionPrice), new Seconds(quantity));

    public static ExecutionReport Place(MatchingEngine engine, NewOrder order)
    {
        var report = new ExecutionReport();
        engine.Place(order, report);
        return report;
    }
}
