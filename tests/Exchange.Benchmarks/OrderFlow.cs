using Exchange.Domain.Orders;
using Exchange.Domain.Units;

namespace Exchange.Benchmarks;

/// <summary>
/// A reproducible stream of operations shaped like a busy book: 70% limit orders added within ten ticks of the
/// top of book, 20% cancels of earlier orders, 10% orders that cross (half limit, half market).
/// </summary>
public static class OrderFlow
{
    public readonly record struct Operation(bool IsCancel, NewOrder Order, long CancelId);

    public static Operation[] Generate(int count, int seed = 42)
    {
        var random = new Random(seed);
        var owners = Enumerable.Range(0, 1_000).Select(i => $"fan-{i}").ToArray();
        var operations = new Operation[count];
        const long mid = 10_000;
        long nextId = 1;

        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(100);
            var owner = owners[random.Next(owners.Length)];
            var side = random.Next(2) == 0 ? Side.Buy : Side.Sell;
            var quantity = new Seconds(random.Next(1, 100));
            if (roll < 70)
            {
                var offset = random.Next(1, 11);
                var price = new Price(side == Side.Buy ? mid - offset : mid + offset);
                operations[i] = new Operation(false, new NewOrder(nextId++, owner, side, OrderType.Limit, TimeInForce.GoodTillCancel, price, quantity), 0);
            }
            else if (roll < 90)
            {
                var cancelId = nextId <= 1 ? 1 : nextId - 1 - random.Next((int)Math.Min(nextId - 1, 2_000));
                operations[i] = new Operation(true, default, cancelId);
            }
            else if (roll < 95)
            {
                var price = new Price(side == Side.Buy ? mid + 5 : mid - 5);
                operations[i] = new Operation(false, new NewOrder(nextId++, owner, side, OrderType.Limit, TimeInForce.ImmediateOrCancel, price, quantity), 0);
            }
            else
            {
                operations[i] = new Operation(false, new NewOrder(nextId++, owner, side, OrderType.Market, TimeInForce.ImmediateOrCancel, default, quantity), 0);
            }
        }

        return operations;
    }
}
