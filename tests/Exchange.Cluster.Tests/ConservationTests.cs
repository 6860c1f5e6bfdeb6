using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;

namespace Exchange.Cluster.Tests;

public class ConservationTests
{
    [Fact]
    public async Task Thousands_of_concurrent_orders_from_hundreds_of_fans_conserve_cash_seconds_and_fees()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        string[] celebrities = ["rand-actor", "rand-singer", "rand-gamer", "rand-athlete"];
        var fans = Enumerable.Range(1, 250).Select(i => $"fan-{i:D3}").ToList();
        foreach (var celebrity in celebrities)
        {
            await exchange.ListAndIssueAsync(celebrity, seconds: 50_000, priceFen: 1_000);
        }

        var trading = new RandomTrading(exchange, celebrities, fans, referencePriceFen: 1_000, seed: 20261125);
        await trading.FundFansAsync(2_000_000);

        // Fans first buy from the primary offers so that they have seconds to sell to each other.
        await Task.WhenAll(fans.Select((fan, i) => exchange.LimitAsync(fan, celebrities[i % celebrities.Length], Side.Buy, 1_000, 100)));
        await trading.RunAsync(orders: 3_000, concurrency: 100);

        var report = await exchange.AuditAsync();
        Assert.True(report.Passed, exchange.Explain(report));
        Assert.True(trading.Failed == 0, $"{trading.Failed} calls failed; the first with {trading.FirstFailure}");
        // About a third of random orders are refused by design (sells of a celebrity the fan holds none of, changes to
        // orders that filled meanwhile); what matters is that plenty went through.
        Assert.True(trading.Placed > 1_800, $"only {trading.Placed} orders were accepted ({trading.Refused} refused, {trading.Repriced} repriced, {trading.Reduced} reduced)");
        Assert.True(report.JournalTradeCount > 1_000, $"only {report.JournalTradeCount} trades");
        Assert.True(report.CommissionTotalFen > 0);
        var stops = await Task.WhenAll(trading.Stops.Select(stop => exchange.Wallet(stop.Fan).GetOrder(stop.OrderId)));
        Assert.True(stops.Count(order => order!.StopTriggered) > 2, $"{stops.Count(order => order!.StopTriggered)} of {stops.Length} stop orders triggered");
        foreach (var celebrity in celebrities)
        {
            Assert.Equal(50_000, report.SecondsOutstanding[celebrity]);
            var summary = await exchange.Grains.GetGrain<IMarketDataGrain>(celebrity).GetSummary(1);
            Assert.True(summary.TradeCount > 100, $"{celebrity} traded only {summary.TradeCount} times");
        }
    }
}
