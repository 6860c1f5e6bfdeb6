using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

public class WithdrawalApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_fan_asks_to_cash_out_an_operator_pays_it_and_the_fan_sees_the_reference()
    {
        var token = await host.CreateKeyAsync("cash-out-web-fan");
        await host.FundAsync("cash-out-web-fan", 20_000);
        using var fan = host.Client(token);
        using var op = host.Operator();

        var requested = await fan.PostAsJsonAsync("/api/v1/wallet/withdrawals", new { requestId = "payday", amountFen = 15_000 });
        var repeated = await fan.PostAsJsonAsync("/api/v1/wallet/withdrawals", new { requestId = "payday", amountFen = 15_000 });
        var wallet = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        var pending = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/withdrawals");

        Expect(HttpStatusCode.Created, requested);
        Expect(HttpStatusCode.OK, repeated);
        Assert.Equal((5_000L, 15_000L), (wallet.GetProperty("cashAvailableFen").GetInt64(), wallet.GetProperty("cashHeldForWithdrawalsFen").GetInt64()));
        Assert.Contains(pending.EnumerateArray(), w => w.GetProperty("accountId").GetString() == "cash-out-web-fan" && w.GetProperty("amountFen").GetInt64() == 15_000);
        await host.SettleAsync();

        Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/accounts/cash-out-web-fan/withdrawals/payday/pay", new { note = "ICBC transfer 2026112600042" }));

        var mine = Assert.Single((await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet/withdrawals")).EnumerateArray());
        Assert.Equal(("paid", "ICBC transfer 2026112600042"), (mine.GetProperty("status").GetString(), mine.GetProperty("note").GetString()));
        Assert.DoesNotContain((await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/withdrawals")).EnumerateArray(), w => w.GetProperty("accountId").GetString() == "cash-out-web-fan");
        var after = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        Assert.Equal((5_000L, 0L, 15_000L), (after.GetProperty("cashAvailableFen").GetInt64(), after.GetProperty("cashHeldForWithdrawalsFen").GetInt64(), after.GetProperty("totalWithdrawnFen").GetInt64()));
        await host.SettleAsync();
    }

    [Fact]
    public async Task Only_operators_decide_and_bad_requests_get_clear_refusals_that_change_nothing()
    {
        var token = await host.CreateKeyAsync("cash-out-web-pushy");
        await host.FundAsync("cash-out-web-pushy", 1_000);
        using var fan = host.Client(token);
        using var op = host.Operator();
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/wallet/withdrawals", new { requestId = "w", amountFen = 600 }));

        Assert.Equal(HttpStatusCode.Forbidden, (await fan.PostAsJsonAsync("/api/v1/admin/accounts/cash-out-web-pushy/withdrawals/w/pay", new { note = "me" })).StatusCode);
        var tooMuch = await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/wallet/withdrawals", new { requestId = "w2", amountFen = 401 }), HttpStatusCode.UnprocessableEntity, "insufficient_funds");
        Assert.Equal("Only 4.00 CNY (400 fen) are available to withdraw.", tooMuch.GetProperty("detail").GetString());
        await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/wallet/withdrawals", new { requestId = "w3", amountFen = -5 }), HttpStatusCode.BadRequest, "invalid_amount");
        await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/wallet/withdrawals", new { requestId = "w", amountFen = 700 }), HttpStatusCode.Conflict, "duplicate_request");
        await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/accounts/cash-out-web-pushy/withdrawals/w/reject", new { note = " " }), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/accounts/cash-out-web-pushy/withdrawals/nope/pay", new { note = "ref" }), HttpStatusCode.NotFound, "unknown_withdrawal");
        Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/accounts/cash-out-web-pushy/withdrawals/w/reject", new { note = "name does not match the bank account" }));
        await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/accounts/cash-out-web-pushy/withdrawals/w/pay", new { note = "ref" }), HttpStatusCode.Conflict, "withdrawal_decided");

        // Cash a resting buy holds is named, so the fan knows what to cancel to take it out.
        await host.ListAndIssueAsync("cash-out-web-star", 100, 300);
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "bid", celebrityId = "cash-out-web-star", side = "buy", priceFen = 280, quantity = 1 }));
        var reserved = await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/wallet/withdrawals", new { requestId = "w4", amountFen = 1_000 }), HttpStatusCode.UnprocessableEntity, "insufficient_funds");
        Assert.Equal("Only 7.20 CNY (720 fen) are available to withdraw; the 2.80 CNY reserved by open buy orders is not until they trade or are cancelled.",
            reserved.GetProperty("detail").GetString());
        Expect(HttpStatusCode.OK, await fan.DeleteAsync("/api/v1/orders/cash-out-web-pushy:1"));
        await host.SettleAsync();

        var wallet = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        Assert.Equal((1_000L, 0L, 0L), (wallet.GetProperty("cashAvailableFen").GetInt64(), wallet.GetProperty("cashHeldForWithdrawalsFen").GetInt64(), wallet.GetProperty("totalWithdrawnFen").GetInt64()));
        Assert.Equal("rejected", Assert.Single((await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet/withdrawals")).EnumerateArray()).GetProperty("status").GetString());
        await host.SettleAsync();
    }

    [Fact]
    public async Task An_agent_asks_to_be_paid_what_the_platform_owes_it_and_an_operator_pays_it_from_the_same_desk()
    {
        await host.ListAndIssueAsync("paid-out-star", 1_000, 300); // agent-paid-out-star is owed 1,000 s x 3.00 CNY
        using var agent = host.Client(await host.CreateKeyAsync("agent-paid-out-star", "celebrity"));
        using var fan = host.Client(await host.CreateKeyAsync("paid-out-fan"));
        using var op = host.Operator();

        var requested = await agent.PostAsJsonAsync("/api/v1/payouts/withdrawals", new { requestId = "november", amountFen = 200_000 });
        var repeated = await agent.PostAsJsonAsync("/api/v1/payouts/withdrawals", new { requestId = "november", amountFen = 200_000 });
        await ExpectProblemAsync(await agent.PostAsJsonAsync("/api/v1/payouts/withdrawals", new { requestId = "greedy", amountFen = 100_001 }),
            HttpStatusCode.UnprocessableEntity, "insufficient_funds");
        Assert.Equal(HttpStatusCode.Forbidden, (await fan.PostAsJsonAsync("/api/v1/payouts/withdrawals", new { requestId = "not-mine", amountFen = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync("/api/v1/wallet/withdrawals", new { requestId = "wrong-door", amountFen = 1 })).StatusCode);
        var held = await agent.GetFromJsonAsync<JsonElement>("/api/v1/payouts");
        var pending = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/withdrawals");

        Expect(HttpStatusCode.Created, requested);
        Expect(HttpStatusCode.OK, repeated);
        Assert.Equal((100_000L, 200_000L), (held.GetProperty("cashAvailableFen").GetInt64(), held.GetProperty("cashHeldForWithdrawalsFen").GetInt64()));
        Assert.Single(pending.EnumerateArray(), w => w.GetProperty("accountId").GetString() == "payout:agent-paid-out-star");

        Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/accounts/payout:agent-paid-out-star/withdrawals/november/pay", new { note = "SWIFT 20261127-7" }));

        var mine = Assert.Single((await agent.GetFromJsonAsync<JsonElement>("/api/v1/payouts/withdrawals")).EnumerateArray());
        Assert.Equal(("paid", "SWIFT 20261127-7"), (mine.GetProperty("status").GetString(), mine.GetProperty("note").GetString()));
        var after = await agent.GetFromJsonAsync<JsonElement>("/api/v1/payouts");
        Assert.Equal((100_000L, 0L, 200_000L), (after.GetProperty("cashAvailableFen").GetInt64(), after.GetProperty("cashHeldForWithdrawalsFen").GetInt64(), after.GetProperty("totalWithdrawnFen").GetInt64()));
        await host.SettleAsync(); // the audit still balances: the 2,000 CNY left as a withdrawal
    }
}
