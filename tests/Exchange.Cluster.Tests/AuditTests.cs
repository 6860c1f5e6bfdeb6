using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Grains.Hosting;
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

    [Fact]
    public async Task The_exchange_audits_itself_on_a_reminder_and_counts_a_failed_audit_for_operators_to_alert_on()
    {
        var outcomes = new ConcurrentQueue<bool>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, meters) =>
        {
            if (instrument.Meter.Name == ExchangeMetrics.MeterName && instrument.Name == "exchange.audit.runs")
            {
                meters.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "passed")
                {
                    outcomes.Enqueue((bool)tag.Value!);
                }
            }
        });
        listener.Start();
        await using var exchange = await ExchangeCluster.StartAsync();
        await exchange.Grains.GetGrain<IWalletGrain>("self-audited-fan").Deposit("first", 5_000);
        var audits = exchange.Grains.GetGrain<IScheduledAuditGrain>(IScheduledAuditGrain.Key);

        await audits.Schedule(TimeSpan.FromSeconds(1));
        var passed = await Eventually.ValueAsync(audits.GetStatus, status => status.Last is not null, TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(1), passed.Every);
        Assert.True(passed.Last!.Report.Passed, exchange.Explain(passed.Last.Report));
        Assert.True(passed.Last.Report.NetDepositsFen >= 5_000);

        // A fee in the journal that no commission account ever received: the next audit must say so on its own.
        await using (var database = Npgsql.NpgsqlDataSource.Create(exchange.ConnectionString))
        {
            await database.CreateCommand("""
                INSERT INTO exchange.trade_journal (trade_id, celebrity_id, sequence, buyer_id, seller_id, buy_order_id, sell_order_id,
                                                    price_fen, quantity, notional_fen, commission_fen, executed_at)
                VALUES ('forged:1', 'forged', 1, 'a', 'b', 'a:1', 'b:1', 100, 1, 100, 3, now())
                """).ExecuteNonQueryAsync();
        }

        var failed = await Eventually.ValueAsync(audits.GetStatus, status => status.Last is { Report.Passed: false }, TimeSpan.FromSeconds(30));
        Assert.Contains(failed.Last!.Report.Violations, violation => violation.StartsWith("commission:", StringComparison.Ordinal));
        Assert.Contains(true, outcomes);
        Assert.Contains(false, outcomes);

        await audits.Schedule(TimeSpan.Zero);
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // a tick already on its way may still land
        var runsWhenStopped = outcomes.Count;
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.Zero, (await audits.GetStatus()).Every);
        Assert.Equal(runsWhenStopped, outcomes.Count);
    }
}
