using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

public class SecurityApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    public static TheoryData<string, string> FanEndpoints => new()
    {
        { "GET", "/api/v1/wallet" },
        { "GET", "/api/v1/wallet/history" },
        { "GET", "/api/v1/wallet/trades" },
        { "POST", "/api/v1/me/key" },
        { "GET", "/api/v1/orders" },
        { "GET", "/api/v1/orders/someone:1" },
        { "DELETE", "/api/v1/orders/someone:1" },
        { "POST", "/api/v1/orders" },
        { "DELETE", "/api/v1/orders" },
        { "GET", "/api/v1/payouts" },
        { "POST", "/api/v1/payouts/withdrawals" },
        { "GET", "/api/v1/payouts/withdrawals" },
    };

    public static TheoryData<string, string> OperatorEndpoints => new()
    {
        { "POST", "/api/v1/admin/celebrities" },
        { "GET", "/api/v1/admin/celebrities" },
        { "POST", "/api/v1/admin/celebrities/x/issuances" },
        { "POST", "/api/v1/admin/celebrities/x/halt" },
        { "POST", "/api/v1/admin/celebrities/x/resume" },
        { "POST", "/api/v1/admin/celebrities/x/delist" },
        { "POST", "/api/v1/admin/celebrities/x/relist" },
        { "POST", "/api/v1/admin/accounts/x/deposits" },
        { "POST", "/api/v1/admin/accounts/x/withdrawals" },
        { "GET", "/api/v1/admin/accounts/x/wallet" },
        { "GET", "/api/v1/admin/audit" },
        { "POST", "/api/v1/admin/keys" },
        { "GET", "/api/v1/admin/keys" },
        { "DELETE", "/api/v1/admin/keys/x" },
        { "GET", "/api/v1/admin/commission" },
        { "POST", "/api/v1/admin/market/halt" },
        { "GET", "/api/v1/admin/market" },
        { "POST", "/api/v1/admin/market/resume" },
        { "GET", "/api/v1/admin/cluster/silos" },
        { "POST", "/api/v1/admin/cluster/rebalance" },
        { "GET", "/api/v1/admin/offers" },
        { "POST", "/api/v1/admin/accounts/x/suspend" },
        { "POST", "/api/v1/admin/accounts/x/reinstate" },
        { "POST", "/api/v1/admin/celebrities/x/offers/y/accept" },
        { "POST", "/api/v1/admin/celebrities/x/offers/y/decline" },
    };

    [Theory]
    [MemberData(nameof(FanEndpoints))]
    [MemberData(nameof(OperatorEndpoints))]
    public async Task Without_a_key_every_private_endpoint_answers_401(string method, string path)
    {
        using var client = host.Client();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });

        await ExpectProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [MemberData(nameof(OperatorEndpoints))]
    public async Task Fan_and_celebrity_keys_are_refused_on_operator_endpoints(string method, string path)
    {
        foreach (var (account, role) in new[] { ("sec-fan-op", "fan"), ("sec-celeb-op", "celebrity") })
        {
            using var client = host.Client(await host.CreateKeyAsync(account + Guid.NewGuid().ToString("N")[..6], role));

            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });

            await ExpectProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/app.js")]
    [InlineData("/api/v1/celebrities")]
    [InlineData("/api/v1/nothing-here")]
    public async Task Pages_and_answers_tell_browsers_not_to_frame_sniff_or_load_from_elsewhere(string path)
    {
        var response = await host.Client().GetAsync(path);

        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.False(response.Headers.Contains("Server"), "the server's make and version help only an attacker");
    }

    [Fact]
    public async Task Reads_are_compressed_but_live_feeds_and_answers_with_a_new_key_are_not()
    {
        for (var i = 0; i < 30; i++)
        {
            await host.ListAndIssueAsync($"squeeze-star-{i}", 100, 250);
        }

        using var raw = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = host.BaseAddress };
        raw.DefaultRequestHeaders.AcceptEncoding.ParseAdd("br, gzip");
        var plain = await host.Client().GetByteArrayAsync("/api/v1/celebrities");

        using var list = await raw.GetAsync("/api/v1/celebrities");
        using var feed = await raw.GetAsync("/api/v1/feed?celebrity=squeeze-star-0", HttpCompletionOption.ResponseHeadersRead);
        using var rotate = new HttpRequestMessage(HttpMethod.Post, "/api/v1/me/key");
        rotate.Headers.Authorization = new("Bearer", await host.CreateKeyAsync("squeeze-fan"));
        using var newKey = await raw.SendAsync(rotate);

        Assert.Equal("br", Assert.Single(list.Content.Headers.ContentEncoding));
        var compressed = await list.Content.ReadAsByteArrayAsync();
        await using var unpacked = new System.IO.Compression.BrotliStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        var entries = await JsonSerializer.DeserializeAsync<JsonElement>(unpacked);
        Assert.Equal(JsonSerializer.Deserialize<JsonElement>(plain).GetArrayLength(), entries.GetArrayLength());
        Assert.True(compressed.Length * 3 < plain.Length, $"{compressed.Length} compressed bytes of {plain.Length}");
        Assert.All(feed.Content.Headers.ContentEncoding, encoding => Assert.Equal("identity", encoding));
        Assert.Equal(HttpStatusCode.Created, newKey.StatusCode);
        Assert.Empty(newKey.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once()
    {
        var token = await host.CreateKeyAsync("sec-revoked");
        using var fan = host.Client(token);
        Expect(HttpStatusCode.OK, await fan.GetAsync("/api/v1/wallet"));
        using var op = host.Operator();
        var keyId = token.Split('_')[1];

        Expect(HttpStatusCode.NoContent, await op.DeleteAsync($"/api/v1/admin/keys/{keyId}"));

        await ExpectProblemAsync(await fan.GetAsync("/api/v1/wallet"), HttpStatusCode.Unauthorized, "unauthorized");
        await ExpectProblemAsync(await op.DeleteAsync($"/api/v1/admin/keys/{keyId}"), HttpStatusCode.NotFound, "unknown_key");
    }

    [Theory]
    [InlineData("Bearer cx_nope_nope")]
    [InlineData("Bearer not-a-key")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    public async Task Malformed_or_unknown_keys_are_refused(string header)
    {
        using var client = host.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/wallet");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        await ExpectProblemAsync(await client.SendAsync(request), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task A_key_with_a_wrong_secret_for_a_real_key_id_is_refused()
    {
        var token = await host.CreateKeyAsync("sec-forged");
        var forged = token[..^4] + (token.EndsWith("AAAA") ? "BBBB" : "AAAA");
        using var client = host.Client(forged);

        await ExpectProblemAsync(await client.GetAsync("/api/v1/wallet"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("sec-rotating-fan", "fan")]
    [InlineData("sec-rotating-star", "celebrity")]
    public async Task A_caller_replaces_its_own_key_and_the_old_one_stops_working_at_once(string account, string role)
    {
        using var old = host.Client(await host.CreateKeyAsync(account, role));

        var rotated = await old.PostAsync("/api/v1/me/key", null);

        Expect(HttpStatusCode.Created, rotated);
        var created = await rotated.Content.ReadFromJsonAsync<JsonElement>();
        using var fresh = host.Client(created.GetProperty("token").GetString());
        var me = await fresh.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal((account, role), (me.GetProperty("accountId").GetString(), me.GetProperty("role").GetString()));
        await ExpectProblemAsync(await old.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthorized");
        await ExpectProblemAsync(await old.PostAsync("/api/v1/me/key", null), HttpStatusCode.Unauthorized, "unauthorized"); // a replay mints nothing
        using var op = host.Operator();
        var keys = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/keys");
        Assert.Single(keys.EnumerateArray(), key => key.GetProperty("accountId").GetString() == account && key.GetProperty("revokedAt").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task A_fan_can_neither_see_nor_cancel_nor_reduce_another_fans_order()
    {
        await host.ListAndIssueAsync("sec-star", 100, 100);
        using var owner = host.Client(await host.CreateKeyAsync("sec-owner"));
        await host.FundAsync("sec-owner", 10_000);
        using var intruder = host.Client(await host.CreateKeyAsync("sec-intruder"));
        var placed = await (await owner.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "o", celebrityId = "sec-star", side = "buy", priceFen = 95, quantity = 3 }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var orderId = placed.GetProperty("order").GetProperty("orderId").GetString();

        await ExpectProblemAsync(await intruder.GetAsync($"/api/v1/orders/{orderId}"), HttpStatusCode.NotFound, "unknown_order");
        await ExpectProblemAsync(await intruder.DeleteAsync($"/api/v1/orders/{orderId}"), HttpStatusCode.Forbidden, "not_your_order");
        await ExpectProblemAsync(await intruder.PatchAsJsonAsync($"/api/v1/orders/{orderId}", new { remainingQuantity = 1 }), HttpStatusCode.Forbidden, "not_your_order");
        Assert.Empty((await intruder.GetFromJsonAsync<JsonElement>("/api/v1/orders?includeClosed=true")).EnumerateArray());
        var order = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}");
        Assert.Equal(("open", 0L), (order.GetProperty("state").GetString(), order.GetProperty("cancelledQuantity").GetInt64()));
    }

    [Theory]
    [InlineData("platform:treasury", "fan")]
    [InlineData("payout:someone", "fan")]
    [InlineData("UPPER", "fan")]
    [InlineData("x'; DROP TABLE exchange.api_keys; --", "fan")]
    [InlineData("ok-name", "superuser")]
    public async Task Keys_cannot_be_made_for_system_accounts_bad_names_or_unknown_roles(string accountId, string role)
    {
        using var op = host.Operator();

        var response = await op.PostAsJsonAsync("/api/v1/admin/keys", new { accountId, role });

        await ExpectProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/api/v1/admin/keys")).StatusCode);
    }

    [Fact]
    public async Task Exhausting_a_keys_rate_limit_answers_429_with_retry_after_without_slowing_other_keys()
    {
        using var greedy = host.Client(await host.CreateKeyAsync("sec-greedy"));
        using var polite = host.Client(await host.CreateKeyAsync("sec-polite"));
        static long Remaining(HttpResponseMessage response) => long.Parse(response.Headers.GetValues("RateLimit-Remaining").Single());

        HttpResponseMessage? limited = null;
        var remaining = new List<long>();
        for (var i = 0; i <= ApiHost.RateLimitPermits && limited is null; i++)
        {
            var response = await greedy.GetAsync("/api/v1/wallet");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                remaining.Add(Remaining(response));
            }
        }

        Assert.NotNull(limited);
        await ExpectProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
        // Each answer told the client what was left, down to nothing, and the refusal says so too.
        Assert.Equal(Enumerable.Range(0, ApiHost.RateLimitPermits).Select(i => (long)(ApiHost.RateLimitPermits - 1 - i)), remaining);
        Assert.Equal(0, Remaining(limited));
        Assert.Equal((ApiHost.RateLimitPermits.ToString(), "300;w=30"), (limited.Headers.GetValues("RateLimit-Limit").Single(), limited.Headers.GetValues("RateLimit-Policy").Single()));
        var politeAnswer = await polite.GetAsync("/api/v1/wallet");
        Expect(HttpStatusCode.OK, politeAnswer);
        Assert.Equal(ApiHost.RateLimitPermits - 1, Remaining(politeAnswer));
        Assert.False((await polite.GetAsync("/health")).Headers.Contains("RateLimit-Remaining"));
    }
}
