using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Grains.Storage;

namespace Exchange.Cluster.Tests;

public class AuditTests
{
    [Fact]
    public async Task The_audit_reads_wallets_a_bounded_number_at_a_time_and_counts_every_one()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        const string prefix = "audit-round-";
        var fans = Enumerable.Range(1, 3 * ExchangeAuditor.WalletsReadTogether + 10).Select(i => $"{prefix}{i:D3}").ToList();
        await Task.WhenAll(fans.Select(fan => exchange.Grains.GetGrain<IWalletGrain>(fan).Deposit("first", 1_000)));
        WalletReadsInFlight.Watch(prefix);

        var report = await exchange.AuditAsync();

        Assert.True(report.Passed, exchange.Explain(report));
        Assert.True(report.AccountCount >= fans.Count, $"the audit counted {report.AccountCount} accounts for {fans.Count} fans");
        Assert.Equal(fans.Count * 1_000L, report.NetDepositsFen);
        Assert.InRange(WalletReadsInFlight.Peak, 2, ExchangeAuditor.WalletsReadTogether);
    }
}
