using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Exchange.Abstractions.Http;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

/// <summary>Keys that may only read, for apps that show an account: they read what their role may and change nothing.</summary>
public class ReadOnlyKeyTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_fan_gives_an_app_a_read_only_key_that_reads_the_wallet_changes_nothing_and_can_be_revoked()
    {
        await host.ListAndIssueAsync("ro-star", 100, 500);
        var fanToken = await host.CreateKeyAsync("ro-fan");
        await host.FundAsync("ro-fan", 100_000);
        using var fan = host.Client(fanToken);

        var created = await fan.PostAsJsonAsync("/api/v1/me/keys", new { });
        Expect(HttpStatusCode.Created, created);
        var key = await created.Content.ReadFromJsonAsync<CreatedKey>();
        using var app = host.Client(key!.Token);

        Assert.Equal(("ro-fan", "fan", true), (key.AccountId, key.Role, key.ReadOnly));
        Assert.Equal(100_000, (await app.GetFromJsonAsync<JsonElement>("/api/v1/wallet")).GetProperty("cashAvailableFen").GetInt64());
        Assert.True((await app.GetFromJsonAsync<Caller>("/api/v1/me"))!.ReadOnly);
        var order = new { clientOrderId = "ro-1", celebrityId = "ro-star", side = "buy", priceFen = 500, quantity = 1 };
        await ExpectProblemAsync(await app.PostAsJsonAsync("/api/v1/orders", order), HttpStatusCode.Forbidden, "read_only_key");
        await ExpectProblemAsync(await app.DeleteAsync("/api/v1/orders"), HttpStatusCode.Forbidden, "read_only_key");
        await ExpectProblemAsync(await app.PostAsJsonAsync("/api/v1/wallet/withdrawals", new { requestId = "ro-w", amountFen = 100 }), HttpStatusCode.Forbidden, "read_only_key");
        await ExpectProblemAsync(await app.PostAsJsonAsync("/api/v1/me/keys", new { }), HttpStatusCode.Forbidden, "read_only_key");
        await ExpectProblemAsync(await app.PostAsJsonAsync("/api/v1/me/key", new { }), HttpStatusCode.Forbidden, "read_only_key");
        Assert.Empty((await fan.GetFromJsonAsync<JsonElement[]>("/api/v1/orders?includeClosed=true"))!);
        Assert.Equal(100_000, (await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet")).GetProperty("cashAvailableFen").GetInt64());
        var listed = (await fan.GetFromJsonAsync<KeyInfo[]>("/api/v1/me/keys"))!;
        Assert.Equal([false, true], listed.Select(info => info.ReadOnly));

        await ExpectProblemAsync(await fan.DeleteAsync($"/api/v1/me/keys/{listed[0].KeyId}"), HttpStatusCode.BadRequest, "invalid_request");
        var revoked = await fan.DeleteAsync($"/api/v1/me/keys/{key.KeyId}");

        Expect(HttpStatusCode.NoContent, revoked);
        await ExpectProblemAsync(await app.GetAsync("/api/v1/wallet"), HttpStatusCode.Unauthorized, "unauthorized");
        Expect(HttpStatusCode.OK, await fan.GetAsync("/api/v1/wallet"));
    }

    [Fact]
    public async Task An_account_has_at_most_ten_read_only_keys_a_repeated_request_is_answered_and_nobody_revokes_anothers_key()
    {
        using var fan = host.Client(await host.CreateKeyAsync("ro-many"));
        using var other = host.Client(await host.CreateKeyAsync("ro-other"));
        var chosen = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var token = ApiKeyToken.Create().Token;
            Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/me/keys", new { token }));
            chosen.Add(token);
        }

        var eleventh = await fan.PostAsJsonAsync("/api/v1/me/keys", new { });
        var repeated = await fan.PostAsJsonAsync("/api/v1/me/keys", new { token = chosen[3] });
        var someoneElses = await other.DeleteAsync($"/api/v1/me/keys/{(await fan.GetFromJsonAsync<KeyInfo[]>("/api/v1/me/keys"))![1].KeyId}");

        await ExpectProblemAsync(eleventh, HttpStatusCode.Conflict, "too_many_keys");
        Expect(HttpStatusCode.OK, repeated);
        await ExpectProblemAsync(someoneElses, HttpStatusCode.NotFound, "unknown_key");
        var keys = (await fan.GetFromJsonAsync<KeyInfo[]>("/api/v1/me/keys"))!;
        Assert.Equal(10, keys.Count(info => info.ReadOnly && info.RevokedAt is null));
        using var app = host.Client(chosen[3]);
        Expect(HttpStatusCode.OK, await app.GetAsync("/api/v1/wallet"));
    }

    [Fact]
    public async Task An_operators_read_only_key_watches_the_exchange_but_cannot_act()
    {
        using var op = host.Operator();
        var created = await op.PostAsJsonAsync("/api/v1/admin/keys", new { accountId = "ro-watcher", role = "operator", readOnly = true });
        Expect(HttpStatusCode.Created, created);
        var key = (await created.Content.ReadFromJsonAsync<CreatedKey>())!;
        using var watcher = host.Client(key.Token);

        Assert.Equal(("operator", true), (key.Role, key.ReadOnly));
        Assert.True((await watcher.GetFromJsonAsync<JsonElement>("/api/v1/admin/audit")).GetProperty("passed").GetBoolean());
        await host.ListAndIssueAsync("ro-watched", 10, 100);
        await ExpectProblemAsync(await watcher.PostAsJsonAsync("/api/v1/admin/market/halt", new { reason = "no" }), HttpStatusCode.Forbidden, "read_only_key");
        await ExpectProblemAsync(await watcher.PostAsJsonAsync("/api/v1/admin/keys", new { accountId = "ro-minted", role = "operator" }), HttpStatusCode.Forbidden, "read_only_key");
        await ExpectProblemAsync(await watcher.PostAsync("/dashboard", null), HttpStatusCode.Forbidden, "read_only_key"); // beyond the API too
        Expect(HttpStatusCode.OK, await watcher.GetAsync("/dashboard/"));
        var quote = (await host.Client().GetFromJsonAsync<JsonElement>("/api/v1/celebrities/ro-watched/book")).GetProperty("quote");
        Assert.True(!quote.TryGetProperty("haltedUntil", out var haltedUntil) || haltedUntil.ValueKind == JsonValueKind.Null, quote.ToString());
        Assert.Empty((await op.GetFromJsonAsync<KeyInfo[]>("/api/v1/admin/keys?accountId=ro-minted"))!);
        var info = (await op.GetFromJsonAsync<KeyInfo[]>("/api/v1/admin/keys?accountId=ro-watcher"))!.Single();
        Assert.Equal(("operator", true), (info.Role, info.ReadOnly));
    }
}
