using System.Net;
using System.Net.Http.Json;
using Exchange.Cluster.Tests.Infrastructure;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

/// <summary>
/// Runs the tests that read the exchange's own metrics apart from every other test class. Each silo in this process
/// creates a meter named "Exchange", and OpenTelemetry listens to them all by that name: when another test's silo stops
/// and disposes its meter, the shared metric streams end, and this test's silo stops exporting exchange_* metrics.
/// xunit runs a collection that disables parallelization after all the others, so no other silo stops meanwhile.
/// </summary>
[CollectionDefinition(nameof(MetricsCollection), DisableParallelization = true)]
public sealed class MetricsCollection;

[Collection(nameof(MetricsCollection))]
public class MetricsApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Metrics_count_orders_trades_and_settlement_show_the_runtime_and_are_for_operators_only()
    {
        await host.ListAndIssueAsync("metrics-star", 100, 100);
        using var fan = host.Client(await host.CreateKeyAsync("metrics-fan"));
        await host.FundAsync("metrics-fan", 10_000);
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "m", celebrityId = "metrics-star", side = "buy", priceFen = 100, quantity = 3 }));

        await host.SettleAsync();
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/celebrities/metrics-star/chat-sessions", new { chatId = "m", seconds = 2, message = "hi" }));
        Expect(HttpStatusCode.OK, await fan.PostAsync("/api/v1/celebrities/metrics-star/chat-sessions/m/end", null));
        using var anonymous = host.Client();
        var forged = await anonymous.PostAsync("/api/v1/payments/notifications", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        using var op = host.Operator();
        var metrics = await op.GetStringAsync("/metrics");

        Assert.Contains("exchange_orders_accepted", metrics);
        Assert.Contains("exchange_trades", metrics);
        Assert.Contains("exchange_settlement_batches", metrics);
        Assert.Contains("exchange_settlement_wallet_deliveries", metrics);
        Assert.Contains("exchange_settlement_pending_events", metrics);
        Assert.Contains("exchange_settlement_stall", metrics);
        Assert.Contains("exchange_account_feeds_open", metrics);
        Assert.Matches("exchange_chats_ended_total\\{[^}]*ended_by=\"fan\"[^}]*\\} [1-9]", metrics);
        Assert.Matches("exchange_payments_refused_total\\{[^}]*reason=\"signature\"[^}]*\\} [1-9]", metrics);
        Assert.Contains("dotnet_gc_collections", metrics);
        Assert.Contains("dotnet_thread_pool_queue_length", metrics);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fan.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Metrics_show_how_many_withdrawals_wait_for_an_operator_and_for_how_long()
    {
        await using var silo = await ApiHost.StartAsync("--Exchange:WithdrawalDeskWatchInterval=00:00:00.2");
        var token = await silo.CreateKeyAsync("metrics-cash-out");
        await silo.FundAsync("metrics-cash-out", 10_000);
        using var fan = silo.Client(token);
        using var op = silo.Operator();
        var none = new System.Text.RegularExpressions.Regex(@"exchange_withdrawals_pending(\{[^}]*\})? 0\b");
        var one = new System.Text.RegularExpressions.Regex(@"exchange_withdrawals_pending(\{[^}]*\})? 1\b");
        await Eventually.ValueAsync(() => op.GetStringAsync("/metrics"), none.IsMatch);

        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/wallet/withdrawals", new { requestId = "waits", amountFen = 5_000 }));
        var waiting = await Eventually.ValueAsync(() => op.GetStringAsync("/metrics"), one.IsMatch);
        Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/accounts/metrics-cash-out/withdrawals/waits/pay", new { note = "bank 1" }));
        var paid = await Eventually.ValueAsync(() => op.GetStringAsync("/metrics"), none.IsMatch);

        Assert.Matches(@"exchange_withdrawals_oldest_wait_seconds(\{[^}]*\})? 0*[1-9]|exchange_withdrawals_oldest_wait_seconds(\{[^}]*\})? 0\.\d*[1-9]", waiting);
        Assert.Matches(@"exchange_withdrawals_oldest_wait_seconds(\{[^}]*\})? 0\b", paid);
    }

    [Fact]
    public async Task A_starting_silo_reads_the_withdrawal_desk_at_once_not_one_interval_later()
    {
        await using var silo = await ApiHost.StartAsync("--Exchange:WithdrawalDeskWatchInterval=01:00:00");
        var token = await silo.CreateKeyAsync("restart-cash-out");
        await silo.FundAsync("restart-cash-out", 10_000);
        using (var fan = silo.Client(token))
        {
            Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/wallet/withdrawals", new { requestId = "across-restart", amountFen = 5_000 }));
        }

        // The desk hears of a withdrawal just after the wallet takes it: restart once it has. Polled gently: the
        // operator's key is rate limited like any other.
        using (var before = silo.Operator())
        {
            await Eventually.ValueAsync(() => GentlyAsync(() => before.GetStringAsync("/api/v1/admin/withdrawals")),
                desk => desk.Contains("across-restart", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        }

        await silo.RestartAsync();

        using var op = silo.Operator();
        var one = new System.Text.RegularExpressions.Regex(@"exchange_withdrawals_pending(\{[^}]*\})? 1\b");
        await Eventually.ValueAsync(() => GentlyAsync(() => op.GetStringAsync("/metrics")), one.IsMatch, TimeSpan.FromSeconds(30));
    }

    private static async Task<string> GentlyAsync(Func<Task<string>> read)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(250));
        return await read();
    }
}
