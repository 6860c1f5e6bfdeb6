using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

/// <summary>A fan sees the cash operators put into or took out of their account by hand, and why.</summary>
public class CashAdjustmentApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_fan_sees_each_operator_deposit_and_withdrawal_once_with_its_note_and_no_one_elses()
    {
        var token = await host.CreateKeyAsync("adjusted-fan");
        var otherToken = await host.CreateKeyAsync("unadjusted-fan");
        using var op = host.Operator();
        using var fan = host.Client(token);
        using var other = host.Client(otherToken);
        var goodwill = new { idempotencyKey = "adj-goodwill", amountFen = 500, note = "Sorry for Tuesday's outage" };

        Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/accounts/adjusted-fan/deposits", goodwill));
        Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/accounts/adjusted-fan/deposits", goodwill)); // a retry
        Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/accounts/adjusted-fan/withdrawals", new { idempotencyKey = "adj-refund", amountFen = 200 }));
        await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/accounts/adjusted-fan/deposits",
            new { idempotencyKey = "adj-long", amountFen = 100, note = new string('n', 201) }), HttpStatusCode.BadRequest, "invalid_request");

        var adjustments = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet/adjustments");
        Assert.Equal(
            [("adj-refund", -200L, (string?)null), ("adj-goodwill", 500L, "Sorry for Tuesday's outage")],
            adjustments.EnumerateArray().Select(a => (a.GetProperty("idempotencyKey").GetString(), a.GetProperty("amountFen").GetInt64(), a.GetProperty("note").GetString())));
        Assert.Equal(300, (await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet")).GetProperty("cashAvailableFen").GetInt64());
        Assert.Empty((await other.GetFromJsonAsync<JsonElement>("/api/v1/wallet/adjustments")).EnumerateArray());
        await ExpectProblemAsync(await host.Client().GetAsync("/api/v1/wallet/adjustments"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task An_operator_key_reused_for_another_movement_or_taken_from_the_exchange_own_keys_is_refused_and_moves_nothing()
    {
        var token = await host.CreateKeyAsync("rekeyed-fan");
        using var op = host.Operator();
        Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/accounts/rekeyed-fan/deposits", new { idempotencyKey = "rekey-1", amountFen = 10_000 }));

        var problem = await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/accounts/rekeyed-fan/deposits", new { idempotencyKey = "rekey-1", amountFen = 20_000 }),
            HttpStatusCode.Conflict, "duplicate_request");
        Assert.Contains("deposit of 100.00 CNY", problem.GetProperty("detail").GetString());
        await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/accounts/rekeyed-fan/withdrawals", new { idempotencyKey = "rekey-1", amountFen = 10_000 }),
            HttpStatusCode.Conflict, "duplicate_request");
        foreach (var reserved in new[] { "payment:p-1", "issuance:i-1", "payout:i-1", "chat:c-1" })
        {
            await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/accounts/rekeyed-fan/deposits", new { idempotencyKey = reserved, amountFen = 1 }),
                HttpStatusCode.BadRequest, "invalid_request");
        }

        var wallet = await host.Client(token).GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        Assert.Equal((10_000L, 10_000L), (wallet.GetProperty("cashAvailableFen").GetInt64(), wallet.GetProperty("totalDepositedFen").GetInt64()));
        var adjustments = await host.Client(token).GetFromJsonAsync<JsonElement>("/api/v1/wallet/adjustments");
        Assert.Equal([("rekey-1", 10_000L)], adjustments.EnumerateArray().Select(a => (a.GetProperty("idempotencyKey").GetString(), a.GetProperty("amountFen").GetInt64())));
    }

    [Fact]
    public async Task Operators_cannot_move_cash_of_an_account_that_does_not_exist_so_a_typo_strands_nothing()
    {
        using var op = host.Operator();
        var deposit = new { idempotencyKey = "typo-1", amountFen = 100_000 };

        await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/accounts/fan-amyy/deposits", deposit), HttpStatusCode.NotFound, "unknown_account");
        await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/accounts/fan-amyy/withdrawals", deposit), HttpStatusCode.NotFound, "unknown_account");
        await ExpectProblemAsync(await op.GetAsync("/api/v1/admin/accounts/fan-amyy/wallet"), HttpStatusCode.NotFound, "unknown_account");
        var audit = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/audit");
        Assert.True(audit.GetProperty("passed").GetBoolean());

        // Once the account has a key it takes cash; the exchange's own accounts always do.
        var token = await host.CreateKeyAsync("fan-amyy");
        Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/accounts/fan-amyy/deposits", deposit));
        Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/accounts/platform:treasury/deposits", new { idempotencyKey = "typo-treasury", amountFen = 1 }));
        Assert.Equal(100_000, (await host.Client(token).GetFromJsonAsync<JsonElement>("/api/v1/wallet")).GetProperty("cashAvailableFen").GetInt64());
        var keys = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/keys?accountId=fan-amyy");
        Assert.Equal(["fan-amyy"], keys.EnumerateArray().Select(key => key.GetProperty("accountId").GetString()));
    }
}
