using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

public class AccountSuspensionApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task An_operator_suspends_an_account_which_then_only_reads_and_cancels_until_reinstated()
    {
        await host.ListAndIssueAsync("api-suspended-star", 1_000, 100);
        using var fan = host.Client(await host.CreateKeyAsync("api-suspect"));
        using var op = host.Operator();
        await host.FundAsync("api-suspect", 50_000);
        object Buy(string id) => new { clientOrderId = id, celebrityId = "api-suspended-star", side = "buy", priceFen = 95, quantity = 4 };
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", Buy("before")));

        await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/admin/accounts/api-suspect/suspend", new { reason = "self" }), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/accounts/api-nobody/suspend", new { reason = "who" }), HttpStatusCode.NotFound, "unknown_account");
        await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/accounts/api-suspect/suspend", new { }), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/accounts/platform:treasury/suspend", new { reason = "no" }), HttpStatusCode.BadRequest, "invalid_request");
        var suspended = await op.PostAsJsonAsync("/api/v1/admin/accounts/api-suspect/suspend", new { reason = "chargeback review" });
        await host.SettleAsync();
        var refusedOrder = await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/orders", Buy("during")), HttpStatusCode.Forbidden, "account_suspended");
        await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/wallet/withdrawals", new { requestId = "out", amountFen = 100 }), HttpStatusCode.Forbidden, "account_suspended");
        var wallet = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        Expect(HttpStatusCode.OK, await fan.DeleteAsync("/api/v1/orders"));
        Expect(HttpStatusCode.OK, await op.PostAsync("/api/v1/admin/accounts/api-suspect/reinstate", null));
        var after = await fan.PostAsJsonAsync("/api/v1/orders", Buy("after"));

        Expect(HttpStatusCode.OK, suspended);
        var suspension = await suspended.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("chargeback review", 1, true), (suspension.GetProperty("suspendedReason").GetString(), suspension.GetProperty("ordersCancelled").GetInt32(),
            suspension.GetProperty("suspended").GetBoolean()));
        Assert.Contains("chargeback review", refusedOrder.GetProperty("detail").GetString());
        Assert.Equal(("chargeback review", 0L, 50_000L), (wallet.GetProperty("suspendedReason").GetString(), wallet.GetProperty("cashReservedFen").GetInt64(),
            wallet.GetProperty("cashAvailableFen").GetInt64()));
        Expect(HttpStatusCode.Created, after);
        Assert.Equal(JsonValueKind.Null, (await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet")).GetProperty("suspendedReason").ValueKind);
    }
}
