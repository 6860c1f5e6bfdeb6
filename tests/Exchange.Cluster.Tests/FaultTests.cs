using Exchange.Abstractions.Contracts;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;
using Xunit.Abstractions;

namespace Exchange.Cluster.Tests;

/// <summary>Silos die in the middle of trading and settlement; afterwards every trade is settled exactly once.</summary>
public class FaultTests(ITestOutputHelper output)
{
    private static readonly string[] Celebrities = ["fault-a", "fault-b", "fault-c"];

    [Fact]
    public async Task Killing_a_silo_mid_trading_loses_and_repeats_nothing()
    {
        await using var exchange = await ExchangeCluster.StartAsync(silos: 2);
        var trading = await PrepareAsync(exchange, seed: 1);

        var run = trading.RunAsync(orders: 2_000, concurrency: 50);
        await Eventually.ValueAsync(() => Task.FromResult(trading.Placed), placed => placed > 300);
        await exchange.Cluster.KillSiloAsync(exchange.Cluster.SecondarySilos[0]);
        await run;
        await exchange.Cluster.StartAdditionalSiloAsync();
        await exchange.WaitUntilSettledAsync(Celebrities);

        var report = await exchange.AuditAsync();
        output.WriteLine($"placed {trading.Placed} (reduced {trading.Reduced}, repriced {trading.Repriced}), refused {trading.Refused}, failed {trading.Failed}, trades {report.JournalTradeCount}");
        Assert.True(report.Passed, exchange.Explain(report));
        Assert.True(trading.Placed > 1_000);
        Assert.True(trading.Reduced > 0);
        Assert.True(trading.Repriced > 0);
        Assert.True(report.JournalTradeCount > 0);
        await AssertTradingStillWorksAsync(exchange);
    }

    [Fact]
    public async Task After_the_whole_cluster_dies_mid_settlement_a_restart_settles_every_trade_once()
    {
        var first = await ExchangeCluster.StartAsync(silos: 1);
        var trading = await PrepareAsync(first, seed: 2);
        var run = trading.RunAsync(orders: 3_000, concurrency: 100);
        await Eventually.ValueAsync(() => Task.FromResult(trading.Placed), placed => placed > 500);

        await first.Cluster.KillSiloAsync(first.Cluster.Primary!);
        await run;
        await first.DisposeAsync();

        await using var restarted = await ExchangeCluster.StartAsync(silos: 1, first.ConnectionString, first.ServiceId);
        // Settlement resumes by itself after a restart, retrying deliveries that fail while the cluster warms up; the
        // audit is a snapshot, so it runs once the books have caught up.
        await restarted.WaitUntilSettledAsync(Celebrities);
        var report = await restarted.AuditAsync();
        output.WriteLine($"placed {trading.Placed}, refused {trading.Refused}, failed {trading.Failed}, trades {report.JournalTradeCount}");
        Assert.True(report.Passed, restarted.Explain(report) + "\nBefore the restart:\n" + SiloLogs.ExchangeWarnings(first.Cluster.Options.ClusterId));
        Assert.True(trading.Failed > 0, "the kill should have interrupted calls in flight");
        Assert.True(report.JournalTradeCount > 0);
        await AssertTradingStillWorksAsync(restarted);
    }

    [Fact]
    public async Task Balances_books_and_totals_survive_a_clean_restart()
    {
        var first = await ExchangeCluster.StartAsync(silos: 1);
        await first.ListAndIssueAsync("kept-star", 1_000, 700);
        await first.FundAsync("fan-kept", 100_000);
        await first.LimitAsync("fan-kept", "kept-star", Side.Buy, 700, 10);
        await first.LimitAsync("fan-kept", "kept-star", Side.Buy, 650, 5);
        await first.SettleAsync("kept-star");
        var walletBefore = await first.Wallet("fan-kept").GetSnapshot();
        var depthBefore = await first.Book("kept-star").GetDepth(10);
        await first.DisposeAsync();

        await using var second = await ExchangeCluster.StartAsync(silos: 1, first.ConnectionString, first.ServiceId);

        Assert.Equivalent(walletBefore, await second.Wallet("fan-kept").GetSnapshot());
        Assert.Equivalent(depthBefore, await second.Book("kept-star").GetDepth(10));
        var sold = await second.LimitAsync("fan-kept", "kept-star", Side.Sell, 650, 5);
        Assert.Equal(OrderState.Cancelled, (await second.Wallet("fan-kept").GetOrder(walletBefore.OpenOrders[0].OrderId))!.State);
        Assert.Empty(sold.Fills); // self-trade prevention: the fan's own resting bid was cancelled instead
        await second.AssertAuditPassesAsync();
    }

    private static async Task<RandomTrading> PrepareAsync(ExchangeCluster exchange, int seed)
    {
        foreach (var celebrity in Celebrities)
        {
            await exchange.ListAndIssueAsync(celebrity, 30_000, 1_000);
        }

        var fans = Enumerable.Range(1, 120).Select(i => $"fault-fan-{i}").ToList();
        var trading = new RandomTrading(exchange, Celebrities, fans, 1_000, seed);
        await trading.FundFansAsync(2_000_000);
        await Task.WhenAll(fans.Select((fan, i) => exchange.LimitAsync(fan, Celebrities[i % Celebrities.Length], Side.Buy, 1_000, 100)));
        return trading;
    }

    private static async Task AssertTradingStillWorksAsync(ExchangeCluster exchange)
    {
        await exchange.FundAsync("fan-after", 1_000_000);
        var bought = await exchange.LimitAsync("fan-after", Celebrities[0], Side.Buy, 1_020, 1);
        Assert.True(bought.Succeeded, bought.Error?.Message);
        await exchange.AssertAuditPassesAsync();
    }
}
