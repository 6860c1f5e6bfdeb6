using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

public class AccountFeedApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    /// <summary>An open account feed, read one event at a time.</summary>
    private sealed class Feed(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> events) : IAsyncDisposable
    {
        public static async Task<Feed> OpenAsync(HttpClient client, CancellationToken cancellationToken) =>
            await FromAsync(await client.GetAsync("/api/v1/me/feed", HttpCompletionOption.ResponseHeadersRead, cancellationToken), cancellationToken);

        public static async Task<Feed> FromAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            Expect(HttpStatusCode.OK, response);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            var events = SseParser.Create(await response.Content.ReadAsStreamAsync(cancellationToken)).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            var feed = new Feed(response, events);
            Assert.Equal("ready", (await feed.NextAsync()).Kind);
            return feed;
        }

        public async Task<(string Kind, JsonElement Data)> NextAsync()
        {
            Assert.True(await events.MoveNextAsync(), "the feed ended");
            return (events.Current.EventType, JsonSerializer.Deserialize<JsonElement>(events.Current.Data));
        }

        /// <summary>Whether the server ended the feed (as opposed to sending another event).</summary>
        public async Task<bool> EndedAsync() => !await events.MoveNextAsync();

        public async ValueTask DisposeAsync()
        {
            await events.DisposeAsync();
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_celebrity_keys_feed_follows_its_payout_account_as_it_asks_for_its_money_and_an_operator_pays_it()
    {
        await host.ListAndIssueAsync("feed-paid-star", 100, 500); // agent-feed-paid-star is owed 500.00 CNY
        using var agent = host.Client(await host.CreateKeyAsync("agent-feed-paid-star", "celebrity"));
        using var op = host.Operator();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await using var feed = await Feed.OpenAsync(agent, timeout.Token);
        Expect(HttpStatusCode.Created, await agent.PostAsJsonAsync("/api/v1/payouts/withdrawals", new { requestId = "fees", amountFen = 30_000 }, timeout.Token));
        var asked = await feed.NextAsync();
        Expect(HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/accounts/payout:agent-feed-paid-star/withdrawals/fees/pay", new { note = "wire 88" }, timeout.Token));
        var paid = await feed.NextAsync();

        Assert.Equal("balance", asked.Kind);
        Assert.Equal((20_000L, 30_000L), (asked.Data.GetProperty("balance").GetProperty("cashAvailableFen").GetInt64(),
            asked.Data.GetProperty("balance").GetProperty("cashHeldForWithdrawalsFen").GetInt64()));
        Assert.Equal("balance", paid.Kind);
        Assert.Equal((20_000L, 0L), (paid.Data.GetProperty("balance").GetProperty("cashAvailableFen").GetInt64(),
            paid.Data.GetProperty("balance").GetProperty("cashHeldForWithdrawalsFen").GetInt64()));
    }

    [Fact]
    public async Task A_fans_feed_shows_its_resting_order_filled_by_another_fan_with_the_fee_and_new_balances_and_nothing_of_the_buyer()
    {
        await host.ListAndIssueAsync("acct-feed-star", 1_000, 300);
        var (sellerToken, buyerToken) = await host.SellerWithTenSecondsAndBuyerAsync("acct-feed-star", "acct-feed-seller", "acct-feed-buyer");
        using var seller = host.Client(sellerToken);
        using var buyer = host.Client(buyerToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await using var feed = await Feed.OpenAsync(seller, timeout.Token);
        // Below the treasury's offer at 300, so the buyer's order meets this one first.
        Expect(HttpStatusCode.Created, await seller.PostAsJsonAsync("/api/v1/orders",
            new { clientOrderId = "resting-sell", celebrityId = "acct-feed-star", side = "sell", priceFen = 290, quantity = 5 }, timeout.Token));
        var placed = await feed.NextAsync();
        Assert.Equal("order", placed.Kind);
        Assert.Equal("open", placed.Data.GetProperty("order").GetProperty("state").GetString());
        var reserved = await feed.NextAsync();
        Assert.Equal("balance", reserved.Kind);
        var heldForSale = reserved.Data.GetProperty("balance").GetProperty("holdings")[0];
        Assert.Equal(("acct-feed-star", 5L, 5L), (heldForSale.GetProperty("celebrityId").GetString(), heldForSale.GetProperty("available").GetInt64(), heldForSale.GetProperty("reserved").GetInt64()));

        Expect(HttpStatusCode.Created, await buyer.PostAsJsonAsync("/api/v1/orders",
            new { clientOrderId = "take-it", celebrityId = "acct-feed-star", side = "buy", priceFen = 290, quantity = 5 }, timeout.Token));

        var filled = await feed.NextAsync();
        Assert.Equal("order", filled.Kind);
        var order = filled.Data.GetProperty("order");
        Assert.StartsWith("acct-feed-seller:", order.GetProperty("orderId").GetString());
        Assert.Equal(("filled", 5L), (order.GetProperty("state").GetString(), order.GetProperty("filledQuantity").GetInt64()));
        var traded = await feed.NextAsync();
        Assert.Equal("trade", traded.Kind);
        var trade = traded.Data.GetProperty("trade");
        Assert.Equal(("sell", 290L, 5L), (trade.GetProperty("side").GetString(), trade.GetProperty("priceFen").GetInt64(), trade.GetProperty("quantity").GetInt64()));
        Assert.Equal(44, trade.GetProperty("commissionFen").GetInt64()); // 3% of 1,450 fen is 43.5, rounded half up
        var balance = (await feed.NextAsync()).Data.GetProperty("balance");
        Assert.Equal(100_000 - 3_000 + 1_450 - 44, balance.GetProperty("cashAvailableFen").GetInt64());
        var holding = balance.GetProperty("holdings")[0];
        Assert.Equal((5L, 0L), (holding.GetProperty("available").GetInt64(), holding.GetProperty("reserved").GetInt64()));

        // A deposit is a change too; the buyer's order and trade above never showed on the seller's feed.
        await host.FundAsync("acct-feed-seller", 1_000);
        var deposited = await feed.NextAsync();
        Assert.Equal("balance", deposited.Kind);
        Assert.Equal(100_000 - 3_000 + 1_450 - 44 + 1_000, deposited.Data.GetProperty("balance").GetProperty("cashAvailableFen").GetInt64());
    }

    [Fact]
    public async Task A_revoked_keys_feed_ends_and_a_missing_key_gets_none()
    {
        var token = await host.CreateKeyAsync("acct-feed-revoked");
        using var fan = host.Client(token);
        using var op = host.Operator();
        using var anonymous = host.Client();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/me/feed", timeout.Token)).StatusCode);

        await using var feed = await Feed.OpenAsync(fan, timeout.Token);
        Expect(HttpStatusCode.NoContent, await op.DeleteAsync($"/api/v1/admin/keys/{token.Split('_')[1]}", timeout.Token));

        // Within a renewal (1 s here) after the key cache (2 s) lets the revocation through.
        Assert.True(await feed.EndedAsync());
    }

    [Fact]
    public async Task One_account_may_hold_only_a_few_feeds_open_on_a_server_and_a_closed_one_frees_its_place()
    {
        var token = await host.CreateKeyAsync("acct-feed-greedy");
        using var fan = host.Client(token);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var feeds = new List<Feed>();
        for (var i = 0; i < 5; i++)
        {
            feeds.Add(await Feed.OpenAsync(fan, timeout.Token));
        }

        using (var refused = await fan.GetAsync("/api/v1/me/feed", HttpCompletionOption.ResponseHeadersRead, timeout.Token))
        {
            await ExpectProblemAsync(refused, HttpStatusCode.TooManyRequests, "too_many_feeds");
        }

        await feeds[0].DisposeAsync();
        // The server notices the disconnect asynchronously.
        Feed? again = null;
        for (var attempt = 0; again is null && attempt < 50; attempt++)
        {
            var response = await fan.GetAsync("/api/v1/me/feed", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                again = await Feed.FromAsync(response, timeout.Token);
            }
            else
            {
                response.Dispose();
                await Task.Delay(100, timeout.Token);
            }
        }

        Assert.NotNull(again);
        foreach (var feed in feeds.Skip(1).Append(again))
        {
            await feed.DisposeAsync();
        }
    }

    [Fact]
    public async Task Slot_feeds_and_account_feeds_share_one_accounts_quota()
    {
        await host.ListAndIssueAsync("quota-star", 100, 100);
        using var star = host.Client(await host.CreateKeyAsync("quota-star", "celebrity"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var open = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            var path = i % 2 == 0 ? "/api/v1/celebrities/quota-star/slots/feed" : "/api/v1/me/feed";
            var response = await star.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            Expect(HttpStatusCode.OK, response);
            open.Add(response);
        }

        using (var refused = await star.GetAsync("/api/v1/celebrities/quota-star/slots/feed", HttpCompletionOption.ResponseHeadersRead, timeout.Token))
        {
            await ExpectProblemAsync(refused, HttpStatusCode.TooManyRequests, "too_many_feeds");
        }

        open.ForEach(response => response.Dispose());
    }
}
