using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;
using Exchange.Domain.Redemption;
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

    [Fact]
    public async Task An_audit_gives_a_settlement_that_failed_a_moment_ago_the_time_to_retry()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        await exchange.ListAndIssueAsync("retrying-star", 100, 1_000);
        await exchange.FundAsync("retrying-fan", 10_000);
        var refusal = RefusedDeliveries.RefuseTo("retrying-fan");
        Task<AuditReport> audit;
        try
        {
            Assert.Equal(OrderState.Filled, (await exchange.LimitAsync("retrying-fan", "retrying-star", Side.Buy, 1_000, 5)).Order!.State);
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            audit = exchange.AuditAsync();
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        finally
        {
            refusal.Dispose();
        }

        var report = await audit;
        Assert.True(report.Passed, exchange.Explain(report));
        Assert.Equal(5, (await exchange.Wallet("retrying-fan").GetSnapshot()).Holdings.Single().Available);
    }

    [Fact]
    public async Task A_scheduled_audit_that_cannot_run_is_counted_and_shown_as_failed()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        await exchange.ListAndIssueAsync("unauditable-star", 100, 10);
        var audits = exchange.Grains.GetGrain<IScheduledAuditGrain>(IScheduledAuditGrain.Key);
        var cut = UnreachableGrains.Cut<ICelebrityGrain>("unauditable-star");
        try
        {
            await audits.Schedule(TimeSpan.FromSeconds(1));
            var failed = await Eventually.ValueAsync(audits.GetStatus, status => status.Last is not null, TimeSpan.FromSeconds(30));

            Assert.False(failed.Last!.Report.Passed);
            Assert.StartsWith("audit: could not run: TimeoutException", Assert.Single(failed.Last.Report.Violations));
        }
        finally
        {
            cut.Dispose();
            await audits.Schedule(TimeSpan.Zero);
        }

        await exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Issuance_legs_the_previous_build_began_are_finished_without_counting()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        await exchange.FundAsync(AccountIds.Treasury, 500);

        Assert.True((await exchange.Wallet(AccountIds.Treasury).ReceiveIssuance("legacy", "legacy-star", 50, 500, counted: false)).Succeeded);
        Assert.True((await exchange.Wallet("payout:legacy-agent").ReceivePayout("legacy", 500, counted: false)).Succeeded);

        var treasury = await exchange.Wallet(AccountIds.Treasury).GetAuditReading();
        Assert.Equal((50, 0, 0), (treasury.Balances.Holdings.Single().Available, treasury.IssuancesPaidFen, treasury.SecondsIssued.Count));
        Assert.Equal(0, (await exchange.Wallet("payout:legacy-agent").GetAuditReading()).IssuancesReceivedFen);
    }

    [Fact]
    public async Task An_audit_taken_while_time_is_listed_issued_and_redeemed_finds_nothing_missing()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        await exchange.ListAndIssueAsync("steady-star", 100_000, 10);
        await exchange.FundAsync("steady-fan", 20_000 * 10);
        Assert.Equal(OrderState.Filled, (await exchange.LimitAsync("steady-fan", "steady-star", Side.Buy, 10, 20_000)).Order!.State);
        await exchange.SettleAsync("steady-star");
        var scheduler = exchange.Grains.GetGrain<ISchedulerGrain>("steady-star");
        const int Calls = 12;
        for (var i = 0; i < Calls; i++)
        {
            var slot = $"call-{i}";
            Assert.Null((await scheduler.Publish(new SlotRequest(slot, exchange.Clock.GetUtcNow().AddHours(1).AddMinutes(10 * i), TimeSpan.FromMinutes(10), SlotKind.VideoCall, null, 0))).Error);
            Assert.Null((await scheduler.Book(slot, "steady-fan")).Error);
        }

        // Every call has started, none is long enough past to lapse.
        exchange.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(10 * (Calls - 1) + 1));

        // Each of these moves cash or seconds in two grains, one call after the other: an audit reading between the
        // two calls must not count the move as missing.
        using var stop = new CancellationTokenSource();
        var issued = 0;
        var listingAndIssuing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await exchange.ListAndIssueAsync($"busy-{issued}", 100, 1_000);
                issued++;
            }
        });
        var chats = 0;
        var chatting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Assert.True((await scheduler.RedeemChat($"chat-{chats}", "steady-fan", 1)).Succeeded);
                chats++;
            }
        });
        var calling = Task.Run(async () =>
        {
            for (var i = 0; i < Calls; i++)
            {
                Assert.Null((await scheduler.Fulfil($"call-{i}")).Error);
                await Task.Delay(150);
            }
        });

        // Audits and moves run at rates of their own; what matters is that enough moves happened while audits read.
        const int MovesDuringAudits = 8;
        var reports = new List<AuditReport>();
        var (issuedBefore, chatsBefore) = (Volatile.Read(ref issued), Volatile.Read(ref chats));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (reports.Count < 8 || !calling.IsCompleted
               || (DateTime.UtcNow < deadline
                   && (Volatile.Read(ref issued) - issuedBefore < MovesDuringAudits || Volatile.Read(ref chats) - chatsBefore < MovesDuringAudits)))
        {
            reports.Add(await exchange.AuditAsync());
        }

        var (issuedDuring, chatsDuring) = (Volatile.Read(ref issued) - issuedBefore, Volatile.Read(ref chats) - chatsBefore);
        await stop.CancelAsync();
        await Task.WhenAll(listingAndIssuing, chatting, calling);
        Assert.All(reports, report => Assert.True(report.Passed, exchange.Explain(report)));
        Assert.True(issuedDuring >= MovesDuringAudits && chatsDuring >= MovesDuringAudits, $"only {issuedDuring} issuances and {chatsDuring} chats ran alongside {reports.Count} audits");
        await exchange.AssertAuditPassesAsync();
        var profile = (await exchange.Celebrity("steady-star").GetProfile())!;
        Assert.Equal(chats + 600L * Calls, profile.RedeemedSeconds);
    }

    [Fact]
    public async Task Audits_taken_while_fans_trade_find_nothing_missing()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        var celebrities = new[] { "busy-a", "busy-b", "busy-c" };
        var fans = Enumerable.Range(1, 30).Select(i => $"busy-fan-{i}").ToList();
        var trading = await RandomTrading.SetUpAsync(exchange, celebrities, fans, 1_000, 100_000, 10_000_000, 500, seed: 3);
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => trading.RunAsync(1_000_000, 8, stop.Token));
        await Eventually.ValueAsync(() => Task.FromResult(trading.Fills), fills => fills > 100, TimeSpan.FromSeconds(30));

        // Each trade settles in three calls (commission account, buyer, seller) while the audit reads them one by one.
        var reports = new List<AuditReport>();
        var fillsBefore = trading.Fills;
        for (var i = 0; i < 10; i++)
        {
            reports.Add(await exchange.AuditAsync());
        }

        var fillsDuring = trading.Fills - fillsBefore;
        await stop.CancelAsync();
        await running;
        Assert.All(reports, report => Assert.True(report.Passed, exchange.Explain(report)));
        Assert.True(fillsDuring > reports.Count, $"only {fillsDuring} fills during {reports.Count} audits");
        Assert.Equal(0, trading.Failed);
        await exchange.AssertAuditPassesAsync();
    }
}
