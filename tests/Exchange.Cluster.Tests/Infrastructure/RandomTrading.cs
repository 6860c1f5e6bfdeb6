using Exchange.Abstractions.Contracts;
using Exchange.Domain.Orders;

namespace Exchange.Cluster.Tests.Infrastructure;

/// <summary>
/// Drives many fans placing, reducing, repricing and cancelling orders concurrently on several books, with a seeded mix of limit/market,
/// GTC/IOC/FOK, stop orders, buys and sells near the reference price. Failures of individual calls (a silo dying under them) are
/// counted, not thrown: the point of the exercise is what the exchange looks like afterwards.
/// </summary>
public sealed class RandomTrading(ExchangeCluster exchange, IReadOnlyList<string> celebrities, IReadOnlyList<string> fans, long referencePriceFen, int seed)
{
    private readonly Random _random = new(seed);

    public int Placed { get; private set; }

    public int Refused { get; private set; }

    public int Failed { get; private set; }

    /// <summary>The first exception a failed call threw, so a test that expects none can say what happened.</summary>
    public string? FirstFailure { get; private set; }

    public int Fills { get; private set; }

    private int _reduced;

    /// <summary>Reductions the books took (each also counted as placed).</summary>
    public int Reduced => _reduced;

    private int _repriced;

    /// <summary>Price changes the books took (each also counted as placed).</summary>
    public int Repriced => _repriced;

    /// <summary>Stop orders the books took (each also counted as placed), by owner and order id.</summary>
    public List<(string Fan, string OrderId)> Stops { get; } = new();

    /// <summary>
    /// Lists the celebrities with <paramref name="secondsIssued"/> each offered at the reference price, funds every fan
    /// and has each buy <paramref name="firstBuySeconds"/> of one celebrity from that offer, so that fans hold cash and
    /// seconds to trade with each other.
    /// </summary>
    public static async Task<RandomTrading> SetUpAsync(ExchangeCluster exchange, IReadOnlyList<string> celebrities, IReadOnlyList<string> fans,
        long referencePriceFen, long secondsIssued, long fundEachFen, long firstBuySeconds, int seed)
    {
        foreach (var celebrity in celebrities)
        {
            await exchange.ListAndIssueAsync(celebrity, secondsIssued, referencePriceFen);
        }

        var trading = new RandomTrading(exchange, celebrities, fans, referencePriceFen, seed);
        await trading.FundFansAsync(fundEachFen);
        await Task.WhenAll(fans.Select((fan, i) => exchange.LimitAsync(fan, celebrities[i % celebrities.Count], Side.Buy, referencePriceFen, firstBuySeconds)));
        return trading;
    }

    public async Task FundFansAsync(long eachFen) =>
        await Task.WhenAll(fans.Select(fan => exchange.FundAsync(fan, eachFen)));

    public async Task RunAsync(int orders, int concurrency, CancellationToken cancellationToken = default)
    {
        var openOrders = new List<(string Fan, string OrderId)>();
        for (var sent = 0; sent < orders && !cancellationToken.IsCancellationRequested; sent += concurrency)
        {
            var batch = Enumerable.Range(0, Math.Min(concurrency, orders - sent)).Select(_ => NextAction(openOrders)).ToList();
            var results = await Task.WhenAll(batch.Select(RunSafelyAsync));
            foreach (var (fan, result) in results)
            {
                if (result is null)
                {
                    Failed++;
                }
                else if (!result.Succeeded)
                {
                    Refused++;
                }
                else
                {
                    Placed++;
                    Fills += result.Fills.Count;
                    if (result.Order is { StopPriceFen: not null } stop && !result.WasReplay)
                    {
                        Stops.Add((fan, stop.OrderId));
                    }

                    if (result.Order is { State: OrderState.Open or OrderState.PartiallyFilled } open && _random.Next(4) == 0)
                    {
                        openOrders.Add((fan, open.OrderId));
                    }
                }
            }
        }
    }

    private async Task<(string Fan, OrderResult? Result)> RunSafelyAsync(Func<Task<(string, OrderResult)>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception exception)
        {
            FirstFailure ??= exception.ToString();
            return ("", null);
        }
    }

    private Func<Task<(string, OrderResult)>> NextAction(List<(string Fan, string OrderId)> openOrders)
    {
        if (openOrders.Count > 0 && _random.Next(100) < 15)
        {
            var index = _random.Next(openOrders.Count);
            var (owner, orderId) = openOrders[index];
            openOrders.RemoveAt(index);
            return async () => (owner, await exchange.Wallet(owner).CancelOrder(orderId));
        }

        if (openOrders.Count > 0 && _random.Next(100) < 8)
        {
            // Kept in the list: a reduced order stays open, and may be reduced again, filled or cancelled later.
            var (owner, orderId) = openOrders[_random.Next(openOrders.Count)];
            var keep = _random.Next(1, 3);
            return async () =>
            {
                var result = await exchange.Wallet(owner).ReduceOrder(orderId, keep);
                if (result.Succeeded)
                {
                    Interlocked.Increment(ref _reduced);
                }

                return (owner, result);
            };
        }

        if (openOrders.Count > 0 && _random.Next(100) < 8)
        {
            // Kept in the list too: a repriced order is still open, under the same id, unless it traded at once.
            var (owner, orderId) = openOrders[_random.Next(openOrders.Count)];
            var newPrice = referencePriceFen + _random.NextInt64(-referencePriceFen / 50, referencePriceFen / 50 + 1);
            return async () =>
            {
                var result = await exchange.Wallet(owner).RepriceOrder(orderId, newPrice);
                if (result.Succeeded)
                {
                    Interlocked.Increment(ref _repriced);
                }

                return (owner, result);
            };
        }

        var fan = fans[_random.Next(fans.Count)];
        var celebrity = celebrities[_random.Next(celebrities.Count)];
        var side = _random.Next(2) == 0 ? Side.Buy : Side.Sell;
        var quantity = (long)_random.Next(1, 40);
        var roll = _random.Next(100);
        var type = roll < 10 ? OrderType.Market : OrderType.Limit;
        var tif = roll switch { < 10 => TimeInForce.ImmediateOrCancel, < 20 => TimeInForce.ImmediateOrCancel, < 25 => TimeInForce.FillOrKill, _ => TimeInForce.GoodTillCancel };
        var spread = referencePriceFen / 50;
        var price = referencePriceFen + _random.NextInt64(-spread, spread + 1);

        // Stops below the reference for sells and above it for buys, within the spread trades wander in: many trigger
        // (in cascades, against halts), some wait, and some are refused because the last trade already reached them.
        var stopPrice = roll is >= 25 and < 30
            ? referencePriceFen + (side == Side.Sell ? -1 : 1) * _random.NextInt64(1, spread / 2 + 1)
            : 0;
        var command = new PlaceOrderCommand(Guid.NewGuid().ToString("N"), celebrity, side, type, tif, type == OrderType.Market ? 0 : price, quantity, stopPrice);
        return async () => (fan, await exchange.Wallet(fan).PlaceOrder(command));
    }
}
