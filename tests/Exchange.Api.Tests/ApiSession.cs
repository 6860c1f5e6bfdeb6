using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Exchange.Api.Tests;

/// <summary>Small steps tests repeat: make keys, list and issue a celebrity, fund a fan, read problems.</summary>
public static class ApiSession
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<string> CreateKeyAsync(this ApiHost host, string accountId, string role = "fan")
    {
        using var client = host.Operator();
        var response = await client.PostAsJsonAsync("/api/v1/admin/keys", new { accountId, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Lists the celebrity (its agent <c>agent-{celebrityId}</c> unless <paramref name="agentId"/> names another) and has the treasury offer its time.</summary>
    public static async Task ListAndIssueAsync(this ApiHost host, string celebrityId, long seconds, long priceFen, string? agentId = null)
    {
        using var client = host.Operator();
        Expect(HttpStatusCode.Created, await client.PostAsJsonAsync("/api/v1/admin/celebrities",
            new { celebrityId, displayName = celebrityId.Replace('-', ' '), category = "musician", agentId = agentId ?? "agent-" + celebrityId, followers = 200_000, averageViewsPerPost = 40_000 }));
        Expect(HttpStatusCode.OK, await client.PostAsJsonAsync("/api/v1/admin/accounts/platform:treasury/deposits",
            new { idempotencyKey = "treasury-" + celebrityId, amountFen = seconds * priceFen }));
        Expect(HttpStatusCode.Created, await client.PostAsJsonAsync($"/api/v1/admin/celebrities/{celebrityId}/issuances",
            new { issuanceId = "first-" + celebrityId, seconds, priceFen }));
    }

    public static async Task FundAsync(this ApiHost host, string accountId, long amountFen, string? note = null)
    {
        using var client = host.Operator();
        Expect(HttpStatusCode.OK, await client.PostAsJsonAsync($"/api/v1/admin/accounts/{accountId}/deposits",
            new { idempotencyKey = Guid.NewGuid().ToString("N"), amountFen, note }));
    }

    /// <summary>
    /// Two funded fans (1,000 CNY each): a seller who has bought 10 s of <paramref name="celebrityId"/> from the
    /// treasury's offer at 300 fen (settled, so no late events follow), and a buyer. Their keys, in that order.
    /// </summary>
    public static async Task<(string SellerToken, string BuyerToken)> SellerWithTenSecondsAndBuyerAsync(this ApiHost host, string celebrityId, string sellerId, string buyerId)
    {
        var tokens = (await host.CreateKeyAsync(sellerId), await host.CreateKeyAsync(buyerId));
        await host.FundAsync(sellerId, 100_000);
        await host.FundAsync(buyerId, 100_000);
        using var seller = host.Client(tokens.Item1);
        Expect(HttpStatusCode.Created, await seller.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "get-seconds", celebrityId, side = "buy", priceFen = 300, quantity = 10 }));
        await host.SettleAsync();
        return tokens;
    }

    /// <summary>
    /// A fan (its client) holding <paramref name="seconds"/> of a celebrity whose treasury offer is at 10 fen a second
    /// (<see cref="ListAndIssueAsync"/> at 10), bought and settled.
    /// </summary>
    public static async Task<HttpClient> FanWithSecondsAsync(this ApiHost host, string celebrityId, string fanId, long seconds)
    {
        var fan = host.Client(await host.CreateKeyAsync(fanId));
        await host.FundAsync(fanId, seconds * 10);
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "seconds-of-" + celebrityId, celebrityId, side = "buy", priceFen = 10, quantity = seconds }));
        await host.SettleAsync();
        return fan;
    }

    /// <summary>
    /// An agency: <c>{prefix}-one</c> and <c>{prefix}-two</c> represented by <paramref name="agentId"/>, <c>{prefix}-other</c>
    /// by another agent, each with 100 s issued at 0.10 CNY, and a fan holding <paramref name="seconds"/> of each.
    /// </summary>
    public static async Task<HttpClient> AgencyWithFanAsync(this ApiHost host, string prefix, string agentId, string fanId, long seconds)
    {
        foreach (var (suffix, agent) in new[] { ("one", agentId), ("two", agentId), ("other", agentId + "-rival") })
        {
            await host.ListAndIssueAsync($"{prefix}-{suffix}", 100, 10, agent);
        }

        var fan = await host.FanWithSecondsAsync(prefix + "-one", fanId, seconds);
        foreach (var celebrityId in new[] { prefix + "-two", prefix + "-other" })
        {
            await host.FundAsync(fanId, seconds * 10);
            Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "b-" + celebrityId, celebrityId, side = "buy", priceFen = 10, quantity = seconds }));
        }

        await host.SettleAsync();
        return fan;
    }

    /// <summary>
    /// A book in a volatility halt: <c>{celebrityId}-holder</c> buys the treasury's 100 s at 10.00 CNY, then sells 10 of
    /// them at 10.60 to <c>{celebrityId}-spiker</c>, a 6% rise. Both are funded with 10,000 CNY.
    /// </summary>
    public static async Task<HaltedBook> HaltByVolatilityAsync(this ApiHost host, string celebrityId)
    {
        await host.ListAndIssueAsync(celebrityId, 100, 1_000);
        var holder = host.Client(await host.CreateKeyAsync(celebrityId + "-holder"));
        var spiker = host.Client(await host.CreateKeyAsync(celebrityId + "-spiker"));
        await host.FundAsync(celebrityId + "-holder", 1_000_000);
        await host.FundAsync(celebrityId + "-spiker", 1_000_000);
        await holder.PlaceLimitAsync(celebrityId, "buy", 1_000, 100);
        await host.SettleAsync();
        await holder.PlaceLimitAsync(celebrityId, "sell", 1_060, 10);
        await spiker.PlaceLimitAsync(celebrityId, "buy", 1_060, 10);
        return new HaltedBook(holder, spiker);
    }

    /// <summary>The two fans' clients of <see cref="HaltByVolatilityAsync"/>.</summary>
    public sealed record HaltedBook(HttpClient Holder, HttpClient Spiker) : IDisposable
    {
        public void Dispose()
        {
            Holder.Dispose();
            Spiker.Dispose();
        }
    }

    /// <summary>
    /// <paramref name="celebrityId"/> (1,000 s issued at 0.10 CNY) and a chat <paramref name="chatId"/> its fan
    /// <paramref name="fanId"/> opened holding 20 of its 100 s ("Just between us"); with another fan holding 100 s too,
    /// the celebrity's own key and another celebrity's.
    /// </summary>
    public static async Task<PrivateChat> PrivateChatAsync(this ApiHost host, string celebrityId, string fanId, string otherFanId, string otherStarId, string chatId)
    {
        await host.ListAndIssueAsync(celebrityId, 1_000, 10);
        var chat = new PrivateChat(await host.FanWithSecondsAsync(celebrityId, fanId, 100), await host.FanWithSecondsAsync(celebrityId, otherFanId, 100),
            host.Client(await host.CreateKeyAsync(celebrityId, "celebrity")), host.Client(await host.CreateKeyAsync(otherStarId, "celebrity")),
            $"/api/v1/celebrities/{celebrityId}/chat-sessions");
        Expect(HttpStatusCode.Created, await chat.Fan.PostAsJsonAsync(chat.Chats, new { chatId, seconds = 20, message = "Just between us" }));
        return chat;
    }

    /// <summary>The clients of <see cref="PrivateChatAsync"/>, and the path of the celebrity's chats.</summary>
    public sealed record PrivateChat(HttpClient Fan, HttpClient OtherFan, HttpClient Star, HttpClient OtherStar, string Chats) : IDisposable
    {
        public void Dispose()
        {
            Fan.Dispose();
            OtherFan.Dispose();
            Star.Dispose();
            OtherStar.Dispose();
        }
    }

    /// <summary>A good-till-cancelled limit order, which the exchange must take (201).</summary>
    public static async Task PlaceLimitAsync(this HttpClient fan, string celebrityId, string side, long priceFen, long quantity) =>
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders",
            new { clientOrderId = Guid.NewGuid().ToString("N"), celebrityId, side, priceFen, quantity }));

    /// <summary>Waits until the audit has settled every book, so balances read afterwards are final.</summary>
    public static async Task SettleAsync(this ApiHost host)
    {
        using var client = host.Operator();
        var audit = await client.GetFromJsonAsync<JsonElement>("/api/v1/admin/audit");
        Assert.True(audit.GetProperty("passed").GetBoolean(), audit.ToString());
    }

    public static void Expect(HttpStatusCode status, HttpResponseMessage response)
    {
        if (response.StatusCode != status)
        {
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {status}, got {(int)response.StatusCode} {response.Content.ReadAsStringAsync().Result}");
        }
    }

    /// <summary>Asserts an RFC 7807 problem with the given status and code.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
