using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Exchange.Cluster.Tests.Infrastructure;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

public class TradingApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Health_answers_and_reports_postgresql_storage()
    {
        using var client = host.Client();

        var health = await client.GetFromJsonAsync<JsonElement>("/health");

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("PostgreSql", health.GetProperty("storage").GetString());
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (ready.StatusCode, await ready.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint_group()
    {
        using var client = host.Client();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        string[] expected =
        [
            "/api/v1/celebrities", "/api/v1/celebrities/{celebrityId}", "/api/v1/celebrities/{celebrityId}/book",
            "/api/v1/celebrities/{celebrityId}/trades", "/api/v1/celebrities/{celebrityId}/candles",
            "/api/v1/orders", "/api/v1/orders/{orderId}", "/api/v1/wallet", "/api/v1/wallet/history", "/api/v1/feed",
            "/api/v1/admin/celebrities", "/api/v1/admin/celebrities/{celebrityId}/issuances", "/api/v1/admin/celebrities/{celebrityId}/halt",
            "/api/v1/admin/celebrities/{celebrityId}/resume", "/api/v1/admin/accounts/{accountId}/deposits",
            "/api/v1/admin/accounts/{accountId}/withdrawals", "/api/v1/admin/accounts/{accountId}/wallet", "/api/v1/admin/audit",
            "/api/v1/admin/keys", "/api/v1/admin/keys/{keyId}", "/api/v1/rules",
        ];
        Assert.Empty(expected.Except(paths));
        Assert.True(document.GetProperty("paths").GetProperty("/api/v1/orders").TryGetProperty("post", out _));
    }

    [Fact]
    public async Task The_openapi_document_gives_client_generators_every_result_refusal_and_the_key_scheme()
    {
        using var client = host.Client();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.DoesNotContain(paths.EnumerateObject(), path => path.Name.StartsWith("/dashboard", StringComparison.Ordinal));
        var operations = paths.EnumerateObject()
            .Where(path => path.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Name: $"{op.Name.ToUpperInvariant()} {path.Name}", Operation: op.Value)))
            .ToList();
        Assert.True(operations.Count >= 35, $"{operations.Count} operations");
        foreach (var (name, operation) in operations)
        {
            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            var successes = responses.Where(r => r.Name.StartsWith('2')).ToList();
            Assert.True(successes.Count > 0, $"{name} documents no success");
            Assert.All(successes.Where(r => r.Name != "204"), r => Assert.True(r.Value.TryGetProperty("content", out _), $"{name} {r.Name} has no body schema"));
            Assert.Contains(responses, r => r.Name == "429");
            Assert.Contains(responses, r => r.Name == "503");
        }

        var place = paths.GetProperty("/api/v1/orders").GetProperty("post");
        var placed = place.GetProperty("responses");
        Assert.Contains("OrderResult", placed.GetProperty("201").GetRawText());
        Assert.Contains("OrderResult", placed.GetProperty("200").GetRawText());
        foreach (var refusal in new[] { "400", "401", "403", "404", "422" })
        {
            Assert.True(placed.TryGetProperty(refusal, out var response) && response.GetRawText().Contains("application/problem+json", StringComparison.Ordinal), $"POST /api/v1/orders lacks {refusal}");
        }

        // Operators' hand movements refuse an account that does not exist.
        foreach (var movement in new[] { "deposits", "withdrawals" })
        {
            Assert.True(paths.GetProperty($"/api/v1/admin/accounts/{{accountId}}/{movement}").GetProperty("post").GetProperty("responses").TryGetProperty("404", out _),
                $"{movement} lacks 404");
        }

        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey").GetProperty("scheme").GetString());
        Assert.Contains("apiKey", place.GetProperty("security").GetRawText());
        var publicList = paths.GetProperty("/api/v1/celebrities").GetProperty("get");
        Assert.False(publicList.TryGetProperty("security", out _));
        Assert.False(publicList.GetProperty("responses").TryGetProperty("401", out _));
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("ProblemDetails").GetProperty("properties").TryGetProperty("code", out _));
        Assert.DoesNotContain(schemas.EnumerateObject(), schema => schema.Name.StartsWith("AnonymousType", StringComparison.Ordinal));

        // Times go through the API's own converter, which must not hide that they are strings.
        var start = schemas.GetProperty("PublishSlotRequest").GetProperty("properties").GetProperty("start");
        Assert.Equal(("string", "date-time"), (start.GetProperty("type").GetString(), start.GetProperty("format").GetString()));
        var revokedAt = schemas.GetProperty("KeyInfo").GetProperty("properties").GetProperty("revokedAt");
        Assert.Equal(["null", "string"], revokedAt.GetProperty("type").EnumerateArray().Select(type => type.GetString()).Order());
    }

    [Fact]
    public async Task The_market_list_ranks_todays_gainers_or_losers_with_untraded_celebrities_last()
    {
        using var holder = host.Client(await host.CreateKeyAsync("rankx-holder"));
        using var buyer = host.Client(await host.CreateKeyAsync("rankx-buyer"));
        await host.FundAsync("rankx-holder", 100_000);
        await host.FundAsync("rankx-buyer", 100_000);
        foreach (var (celebrity, lastPriceFen) in new[] { ("rankx-up", 108L), ("rankx-down", 94L), ("rankx-flat", 100L), ("rankx-none", 0L) })
        {
            await host.ListAndIssueAsync(celebrity, 10, 100);
            if (lastPriceFen == 0)
            {
                continue; // offered, never traded
            }

            Expect(HttpStatusCode.Created, await holder.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = celebrity, celebrityId = celebrity, side = "buy", type = "market", quantity = 10 }));
            await host.SettleAsync();
            if (lastPriceFen != 100)
            {
                Expect(HttpStatusCode.Created, await holder.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = celebrity + "-ask", celebrityId = celebrity, side = "sell", priceFen = lastPriceFen, quantity = 1 }));
                Expect(HttpStatusCode.Created, await buyer.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = celebrity, celebrityId = celebrity, side = "buy", priceFen = lastPriceFen, quantity = 1 }));
            }
        }

        using var client = host.Client();
        async Task<string[]> IdsAsync(string query) =>
            (await client.GetFromJsonAsync<JsonElement>("/api/v1/celebrities?search=rankx-&" + query)).EnumerateArray().Select(c => c.GetProperty("celebrityId").GetString()!).ToArray();

        // The list is shared for up to a second, so the last trades may show a moment later.
        var gainers = await Eventually.ValueAsync(() => IdsAsync("sort=gainers"), ids => ids.Length == 4 && ids[0] == "rankx-up");

        Assert.Equal(["rankx-up", "rankx-flat", "rankx-down", "rankx-none"], gainers);
        Assert.Equal(["rankx-down", "rankx-flat", "rankx-up", "rankx-none"], await IdsAsync("sort=losers"));
        await ExpectProblemAsync(await client.GetAsync("/api/v1/celebrities?sort=popular"), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task The_market_list_narrows_to_a_search_a_category_and_whether_a_celebrity_has_traded()
    {
        await host.ListAndIssueAsync("finder-traded-one", 100, 300);
        await host.ListAndIssueAsync("finder-quiet-one", 100, 300);
        var (_, buyerToken) = await host.SellerWithTenSecondsAndBuyerAsync("finder-traded-one", "finder-seller", "finder-buyer");
        using var client = host.Client();
        async Task<string[]> IdsAsync(string query) =>
            (await client.GetFromJsonAsync<JsonElement>("/api/v1/celebrities?" + query)).EnumerateArray().Select(c => c.GetProperty("celebrityId").GetString()!).ToArray();

        // The list is shared for up to a second, so the new listings and the trade may show a moment later.
        var found = await Eventually.ValueAsync(() => IdsAsync("search=FINDER"), ids => ids.Length == 2);

        Assert.Equal(["finder-quiet-one", "finder-traded-one"], found.Order(StringComparer.Ordinal));
        Assert.Equal(["finder-traded-one"], await Eventually.ValueAsync(() => IdsAsync("search=finder&traded=true"), ids => ids.Length == 1));
        Assert.Equal(["finder-quiet-one"], await IdsAsync("search=finder&traded=false"));
        Assert.Equal(["finder-quiet-one"], await IdsAsync("search=%20quiet%20one%20")); // the display name, spaces around it ignored
        Assert.Equal(2, (await IdsAsync("search=finder&category=musician")).Length);
        Assert.Empty(await IdsAsync("search=finder&category=actor"));
        Assert.Empty(await IdsAsync("search=no-such-celebrity"));
    }

    [Fact]
    public async Task A_fan_places_an_order_for_the_day_over_http_and_the_api_describes_it()
    {
        await host.ListAndIssueAsync("api-day-star", 100, 500);
        using var fan = host.Client(await host.CreateKeyAsync("api-day-fan"));
        await host.FundAsync("api-day-fan", 100_000);

        var placed = await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "d-1", celebrityId = "api-day-star", side = "buy", priceFen = 480, quantity = 20, timeInForce = "day" });

        Expect(HttpStatusCode.Created, placed);
        var order = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order");
        Assert.Equal(("day", "open"), (order.GetProperty("timeInForce").GetString(), order.GetProperty("state").GetString()));
        var document = await host.Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var values = document.GetProperty("components").GetProperty("schemas").GetProperty("TimeInForce").GetProperty("enum").EnumerateArray().Select(v => v.GetString());
        Assert.Contains("day", values);
    }

    [Fact]
    public async Task A_fan_places_a_stop_loss_over_http_and_a_stop_already_reached_or_not_positive_is_refused()
    {
        await host.ListAndIssueAsync("api-stop-star", 100, 500);
        using var fan = host.Client(await host.CreateKeyAsync("api-stop-fan"));
        await host.FundAsync("api-stop-fan", 100_000);
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "s-0", celebrityId = "api-stop-star", side = "buy", type = "market", quantity = 20 }));
        await host.SettleAsync();

        var reached = await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "s-1", celebrityId = "api-stop-star", side = "sell", type = "market", stopPriceFen = 500, quantity = 20 });
        var zero = await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "s-2", celebrityId = "api-stop-star", side = "sell", type = "market", stopPriceFen = 0, quantity = 20 });
        var placed = await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "s-3", celebrityId = "api-stop-star", side = "sell", type = "market", stopPriceFen = 460, quantity = 20 });

        await ExpectProblemAsync(reached, HttpStatusCode.UnprocessableEntity, "stop_already_reached");
        await ExpectProblemAsync(zero, HttpStatusCode.BadRequest, "invalid_price");
        Expect(HttpStatusCode.Created, placed);
        var order = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order");
        Assert.Equal((460L, "open", "goodTillCancel"), (order.GetProperty("stopPriceFen").GetInt64(), order.GetProperty("state").GetString(), order.GetProperty("timeInForce").GetString()));
        var book = await fan.GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-stop-star/book");
        Assert.Equal(0, book.GetProperty("bids").GetArrayLength()); // unseen until triggered: only the treasury's offer shows
        Assert.Equal(["s-3"], (await fan.GetFromJsonAsync<JsonElement[]>("/api/v1/orders?celebrityId=api-stop-star"))!.Select(o => o.GetProperty("clientOrderId").GetString()));
        Assert.Empty((await fan.GetFromJsonAsync<JsonElement[]>("/api/v1/orders?celebrityId=someone-else"))!);
        Assert.Equal(2, (await fan.GetFromJsonAsync<JsonElement[]>("/api/v1/orders?includeClosed=true&celebrityId=api-stop-star"))!.Length);
        Assert.Equal([(500L, 80L)], book.GetProperty("asks").EnumerateArray().Select(level => (level.GetProperty("priceFen").GetInt64(), level.GetProperty("quantity").GetInt64())));
        var document = await host.Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(document.GetProperty("components").GetProperty("schemas").GetProperty("PlaceOrderRequest").GetProperty("properties").TryGetProperty("stopPriceFen", out _));
    }

    [Fact]
    public async Task A_fan_reduces_a_resting_order_over_http_but_cannot_grow_it()
    {
        await host.ListAndIssueAsync("api-reduce-star", 100, 500);
        using var fan = host.Client(await host.CreateKeyAsync("api-reduce-fan"));
        await host.FundAsync("api-reduce-fan", 100_000);
        var placed = await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "r-1", celebrityId = "api-reduce-star", side = "buy", priceFen = 480, quantity = 20 });
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order").GetProperty("orderId").GetString()!;
        var path = $"/api/v1/orders/{Uri.EscapeDataString(orderId)}";

        await ExpectProblemAsync(await fan.PatchAsJsonAsync(path, new { remainingQuantity = 21 }), HttpStatusCode.BadRequest, "invalid_quantity");
        await ExpectProblemAsync(await fan.PatchAsJsonAsync(path, new { remainingQuantity = 0 }), HttpStatusCode.BadRequest, "invalid_quantity");
        await ExpectProblemAsync(await fan.PatchAsJsonAsync("/api/v1/orders/api-reduce-fan%3A999", new { remainingQuantity = 1 }), HttpStatusCode.NotFound, "unknown_order");
        await ExpectProblemAsync(await fan.PatchAsync(path, new StringContent("{\"remainingQuantity\": ", System.Text.Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "invalid_request");
        var reduced = await fan.PatchAsJsonAsync(path, new { remainingQuantity = 5 });

        Expect(HttpStatusCode.OK, reduced);
        Assert.Equal(15, (await reduced.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order").GetProperty("cancelledQuantity").GetInt64());
        await host.SettleAsync();
        var wallet = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        Assert.Equal((100_000L - 5 * 480, 5L * 480), (wallet.GetProperty("cashAvailableFen").GetInt64(), wallet.GetProperty("cashReservedFen").GetInt64()));
        var book = await fan.GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-reduce-star/book");
        Assert.Equal(5, book.GetProperty("bids")[0].GetProperty("quantity").GetInt64());
    }

    [Fact]
    public async Task A_fan_changes_a_resting_order_price_over_http_in_one_step()
    {
        await host.ListAndIssueAsync("api-reprice-star", 100, 500);
        using var fan = host.Client(await host.CreateKeyAsync("api-reprice-fan"));
        await host.FundAsync("api-reprice-fan", 100_000);
        var placed = await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "rp-1", celebrityId = "api-reprice-star", side = "buy", priceFen = 480, quantity = 20 });
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order").GetProperty("orderId").GetString()!;
        var path = $"/api/v1/orders/{Uri.EscapeDataString(orderId)}";

        await ExpectProblemAsync(await fan.PatchAsJsonAsync(path, new { remainingQuantity = 5, priceFen = 490 }), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await fan.PatchAsJsonAsync(path, new { }), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await fan.PatchAsJsonAsync(path, new { priceFen = 600 }), HttpStatusCode.UnprocessableEntity, "price_outside_band");
        await ExpectProblemAsync(await fan.PatchAsJsonAsync(path, new { priceFen = -1 }), HttpStatusCode.BadRequest, "invalid_price");
        await ExpectProblemAsync(await fan.PatchAsJsonAsync(path, new { priceFen = 490.5 }), HttpStatusCode.BadRequest, "invalid_request");
        var raised = await fan.PatchAsJsonAsync(path, new { priceFen = 490 });

        Expect(HttpStatusCode.OK, raised);
        var order = (await raised.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order");
        Assert.Equal((orderId, 490L), (order.GetProperty("orderId").GetString(), order.GetProperty("limitPriceFen").GetInt64()));
        var wallet = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        Assert.Equal((100_000L - 20 * 490, 20L * 490), (wallet.GetProperty("cashAvailableFen").GetInt64(), wallet.GetProperty("cashReservedFen").GetInt64()));
        var book = await fan.GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-reprice-star/book");
        Assert.Equal((490L, 20L), (book.GetProperty("bids")[0].GetProperty("priceFen").GetInt64(), book.GetProperty("bids")[0].GetProperty("quantity").GetInt64()));

        // Up to the treasury's offer: it trades at once, and the answer says so as for a new order.
        var crossed = await (await fan.PatchAsJsonAsync(path, new { priceFen = 500 })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("filled", crossed.GetProperty("order").GetProperty("state").GetString());
        Assert.Equal(20, crossed.GetProperty("fills").EnumerateArray().Sum(fill => fill.GetProperty("quantity").GetInt64()));
        await host.SettleAsync();
        wallet = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        Assert.Equal((100_000L - 20 * 500, 0L), (wallet.GetProperty("cashAvailableFen").GetInt64(), wallet.GetProperty("cashReservedFen").GetInt64()));
    }

    [Fact]
    public async Task A_fan_buys_seconds_over_http_and_sees_wallet_orders_history_and_market_data()
    {
        await host.ListAndIssueAsync("api-star", 1_000, 500);
        var token = await host.CreateKeyAsync("api-fan-1");
        await host.FundAsync("api-fan-1", 100_000);
        using var fan = host.Client(token);

        var placed = await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "c-1", celebrityId = "api-star", side = "buy", priceFen = 500, quantity = 20 });
        Expect(HttpStatusCode.Created, placed);
        var order = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order");
        Assert.Equal("filled", order.GetProperty("state").GetString());
        var orderId = order.GetProperty("orderId").GetString()!;
        Assert.Equal($"/api/v1/orders/{orderId}", placed.Headers.Location!.OriginalString);

        await host.SettleAsync();
        var wallet = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        Assert.Equal(100_000 - 10_000, wallet.GetProperty("cashAvailableFen").GetInt64());
        Assert.Equal(20, wallet.GetProperty("holdings")[0].GetProperty("available").GetInt64());

        var fetched = await fan.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}");
        Assert.Equal(20, fetched.GetProperty("filledQuantity").GetInt64());
        var all = await fan.GetFromJsonAsync<JsonElement>("/api/v1/orders?includeClosed=true");
        Assert.Equal(orderId, all[0].GetProperty("orderId").GetString());

        var history = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet/history");
        var trade = history.GetProperty("trades")[0];
        Assert.Equal(("buy", 500L, 20L), (trade.GetProperty("side").GetString(), trade.GetProperty("priceFen").GetInt64(), trade.GetProperty("quantity").GetInt64()));

        using var anonymous = host.Client();
        var tape = await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-star/trades");
        Assert.Equal(20, tape[0].GetProperty("quantity").GetInt64());
        Assert.False(tape[0].TryGetProperty("buyerId", out _));
        var book = await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-star/book");
        Assert.Equal(980, book.GetProperty("asks")[0].GetProperty("quantity").GetInt64());
        var detail = await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-star");
        Assert.Equal("musician", detail.GetProperty("celebrity").GetProperty("category").GetString());
        var list = await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/celebrities");
        Assert.Contains(list.EnumerateArray(), c => c.GetProperty("celebrityId").GetString() == "api-star");
        var candles = await Eventually.ValueAsync(() => anonymous.GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-star/candles"), c => c.GetArrayLength() == 1);
        Assert.Equal(20, candles[0].GetProperty("volume").GetInt64());
    }

    [Fact]
    public async Task The_same_client_order_id_returns_the_original_order_and_trades_once_and_refuses_a_different_order()
    {
        await host.ListAndIssueAsync("api-idem", 100, 100);
        var token = await host.CreateKeyAsync("api-fan-idem");
        await host.FundAsync("api-fan-idem", 100_000);
        using var fan = host.Client(token);
        var body = new { clientOrderId = "same", celebrityId = "api-idem", side = "buy", priceFen = 100, quantity = 5 };

        var first = await fan.PostAsJsonAsync("/api/v1/orders", body);
        var second = await fan.PostAsJsonAsync("/api/v1/orders", body);

        Expect(HttpStatusCode.Created, first);
        Expect(HttpStatusCode.OK, second);
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("order").GetProperty("orderId").GetString();
        var secondBody = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(firstId, secondBody.GetProperty("order").GetProperty("orderId").GetString());
        Assert.True(secondBody.GetProperty("wasReplay").GetBoolean());
        var different = await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/orders", body with { quantity = 6 }), HttpStatusCode.Conflict, "duplicate_request");
        Assert.Contains(firstId!, different.GetProperty("detail").GetString());
        await host.SettleAsync();
        Assert.Equal(5, (await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet")).GetProperty("holdings")[0].GetProperty("available").GetInt64());
    }

    [Fact]
    public async Task The_rules_say_what_the_exchange_applies_so_a_client_can_work_out_a_sales_fee_before_selling()
    {
        var rules = await host.Client().GetFromJsonAsync<JsonElement>("/api/v1/rules");
        Assert.Equal((300, 1L, 1_000), (rules.GetProperty("commissionBasisPoints").GetInt32(), rules.GetProperty("tickFen").GetInt64(), rules.GetProperty("priceBandBasisPoints").GetInt32()));
        Assert.Equal((1L, 600L, 7_500L), (rules.GetProperty("textChatMinimumSeconds").GetInt64(), rules.GetProperty("videoCallMinimumSeconds").GetInt64(), rules.GetProperty("meetUpMinimumSeconds").GetInt64()));
        Assert.Equal("1.00:00:00", rules.GetProperty("fanCancellationCutoff").GetString());
        await host.ListAndIssueAsync("api-rules", 100, 333);
        using var seller = host.Client(await host.CreateKeyAsync("api-rules-seller"));
        using var buyer = host.Client(await host.CreateKeyAsync("api-rules-buyer"));
        await host.FundAsync("api-rules-seller", 10_000);
        await host.FundAsync("api-rules-buyer", 10_000);
        Expect(HttpStatusCode.Created, await seller.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "in", celebrityId = "api-rules", side = "buy", priceFen = 333, quantity = 10 }));
        await host.SettleAsync();

        // Below the treasury's offer, so the buyer meets the seller's ask: 7 s x 3.30 = 23.10 CNY, 3% of it 0.693.
        Expect(HttpStatusCode.Created, await seller.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "out", celebrityId = "api-rules", side = "sell", priceFen = 330, quantity = 7 }));
        Expect(HttpStatusCode.Created, await buyer.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "in", celebrityId = "api-rules", side = "buy", priceFen = 330, quantity = 7 }));
        await host.SettleAsync();

        const long notional = 7 * 330;
        var feeByTheRules = (notional * rules.GetProperty("commissionBasisPoints").GetInt32() + 5_000) / 10_000;
        Assert.Equal(69, feeByTheRules);
        Assert.Equal(10_000 - (10 * 333) + notional - feeByTheRules, (await seller.GetFromJsonAsync<JsonElement>("/api/v1/wallet")).GetProperty("cashAvailableFen").GetInt64());
        Assert.Equal(10_000 - notional, (await buyer.GetFromJsonAsync<JsonElement>("/api/v1/wallet")).GetProperty("cashAvailableFen").GetInt64());
    }

    [Fact]
    public async Task Cancelling_a_resting_order_releases_its_reservation()
    {
        await host.ListAndIssueAsync("api-cancel", 100, 1_000);
        var token = await host.CreateKeyAsync("api-fan-cancel");
        await host.FundAsync("api-fan-cancel", 100_000);
        using var fan = host.Client(token);
        var placed = await (await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "r", celebrityId = "api-cancel", side = "buy", priceFen = 950, quantity = 10 }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var orderId = placed.GetProperty("order").GetProperty("orderId").GetString();

        var cancelled = await fan.DeleteAsync($"/api/v1/orders/{orderId}");
        var again = await fan.DeleteAsync($"/api/v1/orders/{orderId}");

        Expect(HttpStatusCode.OK, cancelled);
        await host.SettleAsync();
        await ExpectProblemAsync(again, HttpStatusCode.Conflict, "order_not_open");
        // Once settled the wallet knows why, so a fan repeating a cancel learns it was cancelled, not filled.
        var settledAgain = await ExpectProblemAsync(await fan.DeleteAsync($"/api/v1/orders/{orderId}"), HttpStatusCode.Conflict, "order_not_open");
        Assert.Contains("already cancelled (0 of 10 s filled, 10 s cancelled)", settledAgain.GetProperty("detail").GetString());
        var wallet = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        Assert.Equal((100_000L, 0L), (wallet.GetProperty("cashAvailableFen").GetInt64(), wallet.GetProperty("cashReservedFen").GetInt64()));
    }

    [Fact]
    public async Task Cancel_all_pulls_the_callers_open_orders_for_one_celebrity_or_all_and_no_one_elses()
    {
        await host.ListAndIssueAsync("api-mass-a", 100, 1_000);
        await host.ListAndIssueAsync("api-mass-b", 100, 1_000);
        using var fan = host.Client(await host.CreateKeyAsync("api-mass-fan"));
        using var other = host.Client(await host.CreateKeyAsync("api-mass-other"));
        await host.FundAsync("api-mass-fan", 100_000);
        await host.FundAsync("api-mass-other", 100_000);
        foreach (var (celebrity, price, id) in new[] { ("api-mass-a", 950L, "a1"), ("api-mass-a", 940L, "a2"), ("api-mass-b", 930L, "b1") })
        {
            Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = id, celebrityId = celebrity, side = "buy", priceFen = price, quantity = 10 }));
        }

        Expect(HttpStatusCode.Created, await other.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "o1", celebrityId = "api-mass-a", side = "buy", priceFen = 950, quantity = 10 }));

        var forA = await (await fan.DeleteAsync("/api/v1/orders?celebrityId=api-mass-a")).Content.ReadFromJsonAsync<JsonElement>();
        await host.SettleAsync();
        var afterA = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        var rest = await (await fan.DeleteAsync("/api/v1/orders")).Content.ReadFromJsonAsync<JsonElement>();
        await host.SettleAsync();
        var afterAll = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        var othersOrders = await other.GetFromJsonAsync<JsonElement>("/api/v1/orders");

        Assert.Equal(2, forA.GetProperty("cancelled").GetArrayLength());
        Assert.All(forA.GetProperty("cancelled").EnumerateArray(), order => Assert.Equal("api-mass-a", order.GetProperty("celebrityId").GetString()));
        Assert.Equal(9_300L, afterA.GetProperty("cashReservedFen").GetInt64()); // only b1's 10 s at 9.30 is still reserved
        Assert.Equal(1, rest.GetProperty("cancelled").GetArrayLength());
        Assert.Equal(0, rest.GetProperty("refused").GetArrayLength());
        Assert.Equal((100_000L, 0L), (afterAll.GetProperty("cashAvailableFen").GetInt64(), afterAll.GetProperty("cashReservedFen").GetInt64()));
        Assert.Equal(1, othersOrders.GetArrayLength());
        Assert.Equal("open", othersOrders[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_operator_halts_and_resumes_the_whole_exchange_and_fans_may_not()
    {
        await host.ListAndIssueAsync("api-breaker", 100, 1_000);
        using var fan = host.Client(await host.CreateKeyAsync("api-breaker-fan"));
        await host.FundAsync("api-breaker-fan", 100_000);
        using var op = host.Operator();
        object Buy(string id) => new { clientOrderId = id, celebrityId = "api-breaker", side = "buy", priceFen = 1_000, quantity = 1 };

        Assert.Equal(HttpStatusCode.Forbidden, (await fan.PostAsJsonAsync("/api/v1/admin/market/halt", new { reason = "fan says so" })).StatusCode);
        var halted = await op.PostAsJsonAsync("/api/v1/admin/market/halt", new { reason = "exchange incident" });
        try
        {
            Assert.True((await halted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("books").GetInt32() >= 1);
            var refused = await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/orders", Buy("during")), HttpStatusCode.UnprocessableEntity, "market_halted");
            Assert.Contains("whole exchange", refused.GetProperty("detail").GetString());
            var status = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/market");
            Assert.Equal((true, "exchange incident"), (status.GetProperty("halted").GetBoolean(), status.GetProperty("haltReason").GetString()));

            // A celebrity listed and opened during the halt is halted too, though the halt went round before it existed.
            await host.ListAndIssueAsync("api-breaker-new", 100, 1_000);
            var refusedNew = await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "new-during", celebrityId = "api-breaker-new", side = "buy", priceFen = 1_000, quantity = 1 }),
                HttpStatusCode.UnprocessableEntity, "market_halted");
            Assert.Contains("whole exchange", refusedNew.GetProperty("detail").GetString());
        }
        finally
        {
            Expect(HttpStatusCode.OK, await op.PostAsync("/api/v1/admin/market/resume", null));
        }

        Assert.False((await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/market")).GetProperty("halted").GetBoolean());
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", Buy("after")));
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "new-after", celebrityId = "api-breaker-new", side = "buy", priceFen = 1_000, quantity = 1 }));
        await host.SettleAsync();
        Assert.True((await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/audit")).GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task Operators_halt_resume_withdraw_and_audit()
    {
        await host.ListAndIssueAsync("api-ops", 100, 100);
        var token = await host.CreateKeyAsync("api-fan-ops");
        await host.FundAsync("api-fan-ops", 10_000);
        using var op = host.Operator();
        using var fan = host.Client(token);

        await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/celebrities/api-ops/halt", new { reason = new string('x', 201) }), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/market/halt", new { reason = new string('x', 201) }), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(JsonValueKind.Null, (await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/market")).GetProperty("haltReason").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await fan.GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-ops")).GetProperty("celebrity").GetProperty("quote").GetProperty("haltedUntil").ValueKind);
        Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/celebrities/api-ops/halt", new { reason = "maintenance" }));
        Assert.Contains(host.Logs.Lines, line => line.Contains("MarketActions: An operator halted api-ops: maintenance", StringComparison.Ordinal));
        var refused = await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "h", celebrityId = "api-ops", side = "buy", priceFen = 100, quantity = 1 });
        await ExpectProblemAsync(refused, HttpStatusCode.UnprocessableEntity, "market_halted");
        Expect(HttpStatusCode.OK, await op.PostAsync("/api/v1/admin/celebrities/api-ops/resume", null));
        Assert.Contains(host.Logs.Lines, line => line.Contains("MarketActions: An operator resumed api-ops", StringComparison.Ordinal));
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "h2", celebrityId = "api-ops", side = "buy", priceFen = 100, quantity = 1 }));

        var withdrawn = await op.PostAsJsonAsync("/api/v1/admin/accounts/api-fan-ops/withdrawals", new { idempotencyKey = "w1", amountFen = 1_000 });
        Expect(HttpStatusCode.OK, withdrawn);
        var seenByOperator = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/accounts/api-fan-ops/wallet");
        Assert.Equal(10_000 - 100 - 1_000, seenByOperator.GetProperty("cashAvailableFen").GetInt64());
        Assert.Equal(1_000, seenByOperator.GetProperty("totalWithdrawnFen").GetInt64());
        var tooMuch = await op.PostAsJsonAsync("/api/v1/admin/accounts/api-fan-ops/withdrawals", new { idempotencyKey = "w2", amountFen = 1_000_000 });
        Assert.Equal("Only 89.00 CNY (8900 fen) are available to withdraw.",
            (await ExpectProblemAsync(tooMuch, HttpStatusCode.UnprocessableEntity, "insufficient_funds")).GetProperty("detail").GetString());

        // A market buy must hold enough for the worst price it may pay, the band's top (110 fen/s here), and says so.
        var marketBuy = await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "m", celebrityId = "api-ops", side = "buy", type = "market", timeInForce = "immediateOrCancel", quantity = 81 });
        Assert.Equal("The order needs 89.10 CNY (8910 fen) (a market buy reserves at the top of today's band, 1.10 CNY/s); 89.00 CNY (8900 fen) are available.",
            (await ExpectProblemAsync(marketBuy, HttpStatusCode.UnprocessableEntity, "insufficient_funds")).GetProperty("detail").GetString());

        var audit = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/audit");
        Assert.True(audit.GetProperty("passed").GetBoolean(), audit.ToString());
        var keys = await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/keys");
        Assert.Contains(keys.EnumerateArray(), k => k.GetProperty("accountId").GetString() == "api-fan-ops");
        Assert.DoesNotContain("token", keys.ToString());
    }

    [Fact]
    public async Task A_fans_history_lists_its_newest_trades_first_across_celebrities_a_page_at_a_time()
    {
        // Trade sequences count per celebrity: the third trade on one book outnumbers the first on another, yet is older.
        await host.ListAndIssueAsync("hist-busy", 100, 100);
        await host.ListAndIssueAsync("hist-new", 100, 100);
        using var fan = host.Client(await host.CreateKeyAsync("hist-fan"));
        await host.FundAsync("hist-fan", 100_000);
        foreach (var (celebrity, order) in new[] { ("hist-busy", "b1"), ("hist-busy", "b2"), ("hist-busy", "b3"), ("hist-new", "n1") })
        {
            Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = order, celebrityId = celebrity, side = "buy", priceFen = 100, quantity = 1 }));
            await Task.Delay(5); // distinct execution times
        }

        var history = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet/history?limit=2");

        var trades = history.GetProperty("trades").EnumerateArray().Select(t => t.GetProperty("celebrityId").GetString()).ToList();
        Assert.Equal(["hist-new", "hist-busy"], trades);

        // The same four, two a page: every trade once, in the same order as one page of all of them.
        var all = (await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet/trades?limit=500")).GetProperty("trades").EnumerateArray().Select(t => t.GetProperty("tradeId").GetString()).ToList();
        var paged = new List<string?>();
        string? before = null;
        var pages = 0;
        do
        {
            var page = await fan.GetFromJsonAsync<JsonElement>($"/api/v1/wallet/trades?limit=2{(before is null ? "" : "&before=" + Uri.EscapeDataString(before))}");
            paged.AddRange(page.GetProperty("trades").EnumerateArray().Select(t => t.GetProperty("tradeId").GetString()));
            before = page.GetProperty("nextBefore").GetString();
            pages++;
        }
        while (before is not null && pages < 10);

        Assert.Equal(4, all.Count);
        Assert.Equal(all, paged);
        using var stranger = host.Client(await host.CreateKeyAsync("hist-stranger"));
        await ExpectProblemAsync(await stranger.GetAsync($"/api/v1/wallet/trades?before={Uri.EscapeDataString(all[0]!)}"), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await fan.GetAsync("/api/v1/wallet/trades?before=no-such-trade"), HttpStatusCode.BadRequest, "invalid_request");
        await host.SettleAsync();
    }

    [Fact]
    public async Task Operators_delist_a_celebrity_with_a_reason_and_its_quote_says_so()
    {
        await host.ListAndIssueAsync("api-delisted", 100, 100);
        using var op = host.Operator();
        using var fan = host.Client(await host.CreateKeyAsync("api-fan-delisted"));
        await host.FundAsync("api-fan-delisted", 10_000);
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "rest", celebrityId = "api-delisted", side = "buy", priceFen = 95, quantity = 10 }));

        await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/celebrities/api-delisted/delist", new { reason = " " }), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/celebrities/api-delisted/delist", new { }), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await op.PostAsJsonAsync("/api/v1/admin/celebrities/nobody-here/delist", new { reason = "gone" }), HttpStatusCode.NotFound, "unknown_celebrity");
        await ExpectProblemAsync(await op.GetAsync("/api/v1/admin/celebrities?status=sleepy"), HttpStatusCode.BadRequest, "invalid_request");
        var quoteBefore = await host.Client().GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-delisted");
        Assert.False(quoteBefore.GetProperty("celebrity").GetProperty("quote").GetProperty("isDelisted").GetBoolean()); // the refusals changed nothing

        var delisted = await op.PostAsJsonAsync("/api/v1/admin/celebrities/api-delisted/delist", new { reason = "contract ended" });
        Expect(HttpStatusCode.OK, delisted);
        var result = await delisted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, result.GetProperty("cancelledOrders").GetInt32()); // the fan's bid and the treasury's offer
        Assert.Equal("contract ended", result.GetProperty("celebrity").GetProperty("delistReason").GetString());

        var refused = await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "after", celebrityId = "api-delisted", side = "buy", priceFen = 100, quantity = 1 });
        await ExpectProblemAsync(refused, HttpStatusCode.Conflict, "celebrity_delisted");
        var quote = (await host.Client().GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-delisted")).GetProperty("celebrity").GetProperty("quote");
        Assert.True(quote.GetProperty("isDelisted").GetBoolean());
        Assert.Equal("delisted: contract ended", quote.GetProperty("haltReason").GetString());
        await host.SettleAsync();
        Assert.Equal(0, (await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet")).GetProperty("cashReservedFen").GetInt64());

        await ExpectProblemAsync(await op.PostAsync("/api/v1/admin/celebrities/nobody-here/relist", null), HttpStatusCode.NotFound, "unknown_celebrity");
        var relisted = await op.PostAsync("/api/v1/admin/celebrities/api-delisted/relist", null);
        Expect(HttpStatusCode.OK, relisted);
        Assert.False((await relisted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isDelisted").GetBoolean());
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "relisted", celebrityId = "api-delisted", side = "buy", priceFen = 100, quantity = 1 }));
        await host.SettleAsync();
        Assert.True((await op.GetFromJsonAsync<JsonElement>("/api/v1/admin/audit")).GetProperty("passed").GetBoolean());
    }
}
