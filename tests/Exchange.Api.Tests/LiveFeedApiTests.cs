using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Exchange.Cluster.Tests.Infrastructure;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

public class LiveFeedApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_trade_reaches_a_filtered_live_feed_with_the_new_top_of_book_and_other_books_stay_out()
    {
        await host.ListAndIssueAsync("feed-star", 1_000, 300);
        await host.ListAndIssueAsync("feed-other", 1_000, 300);
        var token = await host.CreateKeyAsync("feed-fan");
        await host.FundAsync("feed-fan", 100_000);
        using var fan = host.Client(token);
        using var listener = host.Client();
        await using var feed = await FeedEvents.OpenAsync(listener, "/api/v1/feed?celebrity=feed-star");

        Expect(System.Net.HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "o1", celebrityId = "feed-other", side = "buy", priceFen = 300, quantity = 2 }));
        Expect(System.Net.HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "o2", celebrityId = "feed-star", side = "buy", priceFen = 300, quantity = 7 }));

        var trade = await feed.NextAsync("trade");
        Assert.Equal("feed-star", trade.GetProperty("celebrityId").GetString());
        Assert.Equal(7, trade.GetProperty("trade").GetProperty("quantity").GetInt64());
        Assert.Equal(300, trade.GetProperty("trade").GetProperty("priceFen").GetInt64());

        var quote = (await feed.NextAsync("quote")).GetProperty("quote");
        Assert.Equal(300, quote.GetProperty("lastPriceFen").GetInt64());
        Assert.Equal(300, quote.GetProperty("bestAskFen").GetInt64());
    }

    [Fact]
    public async Task A_whole_market_feed_hears_the_trades_of_a_celebrity_listed_after_it_connected()
    {
        var token = await host.CreateKeyAsync("market-watch-fan");
        await host.FundAsync("market-watch-fan", 100_000);
        using var fan = host.Client(token);
        using var listener = host.Client();
        await using var feed = await FeedEvents.OpenAsync(listener, "/api/v1/feed");

        await host.ListAndIssueAsync("feed-newcomer", 1_000, 300);
        // The silo looks for new listings every half second here; until it has, a trade would not reach the feed.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Expect(System.Net.HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders",
            new { clientOrderId = "n1", celebrityId = "feed-newcomer", side = "buy", priceFen = 300, quantity = 4 }));

        Assert.True(await feed.SkipToAsync(item => item.EventType == "trade" && item.Data.Contains("\"feed-newcomer\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_halt_and_a_resume_reach_the_live_feed_though_nothing_trades()
    {
        await host.ListAndIssueAsync("feed-halted", 1_000, 300);
        using var listener = host.Client();
        using var op = host.Operator();
        await using var feed = await FeedEvents.OpenAsync(listener, "/api/v1/feed?celebrity=feed-halted");
        async Task<JsonElement> NextQuoteAsync() => (await feed.NextAsync("quote")).GetProperty("quote");

        Expect(System.Net.HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/celebrities/feed-halted/halt", new { reason = "news pending" }));
        Assert.Equal("news pending", (await NextQuoteAsync()).GetProperty("haltReason").GetString());
        Expect(System.Net.HttpStatusCode.OK, await op.PostAsync("/api/v1/admin/celebrities/feed-halted/resume", null));
        Assert.Equal(JsonValueKind.Null, (await NextQuoteAsync()).GetProperty("haltReason").ValueKind);
        Expect(System.Net.HttpStatusCode.OK, await op.PostAsJsonAsync("/api/v1/admin/celebrities/feed-halted/delist", new { reason = "retired" }));
        Assert.True((await NextQuoteAsync()).GetProperty("isDelisted").GetBoolean());
    }

    [Fact]
    public async Task The_live_feed_shows_where_a_halted_books_auction_would_trade_as_orders_arrive()
    {
        using var halted = await host.HaltByVolatilityAsync("feed-auction");
        await host.SettleAsync();
        using var listener = host.Client();
        await using var feed = await FeedEvents.OpenAsync(listener, "/api/v1/feed?celebrity=feed-auction");
        bool Quote(SseItem<string> item, string part) => item.EventType == "quote" && item.Data.Contains(part, StringComparison.Ordinal);

        // Nothing trades during the call; each change to it brings a quote saying where its auction stands.
        await halted.Holder.PlaceLimitAsync("feed-auction", "sell", 1_040, 5);
        Assert.True(await feed.SkipToAsync(item => Quote(item, "\"bestAskFen\":1040") && Quote(item, "\"auctionCall\":true") && Quote(item, "\"auctionPriceFen\":null")));
        await halted.Spiker.PlaceLimitAsync("feed-auction", "buy", 1_050, 8);
        Assert.True(await feed.SkipToAsync(item => Quote(item, "\"auctionPriceFen\":1050") && Quote(item, "\"auctionQuantity\":5")));
    }

    [Fact]
    public async Task A_silo_that_stops_leaves_no_feed_subscription_for_the_next_trade_to_trip_over()
    {
        await using var silo = await ApiHost.StartAsync();
        await silo.ListAndIssueAsync("feed-restart", 1_000, 300);
        using (var watcher = silo.Client())
        {
            await using var feed = await FeedEvents.OpenAsync(watcher, "/api/v1/feed?celebrity=feed-restart");
        }

        await silo.RestartAsync();
        var linesBeforeTrading = silo.Logs.Lines.Count;
        var token = await silo.CreateKeyAsync("restart-fan");
        await silo.FundAsync("restart-fan", 100_000);
        using var fan = silo.Client(token);
        using var listener = silo.Client();
        await using (var feed = await FeedEvents.OpenAsync(listener, "/api/v1/feed?celebrity=feed-restart"))
        {
            Expect(System.Net.HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders",
                new { clientOrderId = "r1", celebrityId = "feed-restart", side = "buy", priceFen = 300, quantity = 3 }));
            Assert.Equal("trade", await feed.NextTypeAsync());
        }

        // The stream delivers to each subscriber on its own, so give a stale one time to be tried and dropped.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var linesSince = silo.Logs.Lines.Skip(linesBeforeTrading).ToList();
        Assert.DoesNotContain(linesSince, line => line.Contains("ClientNotAvailableException", StringComparison.Ordinal));
        Assert.DoesNotContain(linesSince, line => line.Contains("no longer active", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_feeds_end_when_the_silo_stops_so_that_it_leaves_the_cluster_in_good_order()
    {
        await using var silo = await ApiHost.StartAsync();
        await silo.ListAndIssueAsync("feed-stopping", 1_000, 300);
        var token = await silo.CreateKeyAsync("stopping-fan");
        using var watcher = silo.Client();
        using var fan = silo.Client(token);
        await using var market = await FeedEvents.OpenAsync(watcher, "/api/v1/feed?celebrity=feed-stopping");
        await using var own = await FeedEvents.OpenAsync(fan, "/api/v1/me/feed");
        var linesBeforeStop = silo.Logs.Lines.Count;

        await silo.DisposeAsync(); // stops it as a deployment would; the disposal at the end finds it stopped

        Assert.Null(await market.NextTypeAsync());
        Assert.Null(await own.NextTypeAsync());
        // A shutdown that ran out of time cancels what was left of it: grains' deactivation, the reminder service...
        Assert.DoesNotContain(silo.Logs.Lines.Skip(linesBeforeStop), line => line.Contains("canceled", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task One_client_address_may_hold_only_so_many_public_feeds_open_on_a_silo()
    {
        await using var silo = await ApiHost.StartAsync("--Exchange:Api:PublicFeedsPerAddress=2");
        using var client = silo.Client();
        var first = await FeedEvents.OpenAsync(client, "/api/v1/feed");
        await using (var second = await FeedEvents.OpenAsync(client, "/api/v1/feed"))
        {
            await ExpectProblemAsync(await client.GetAsync("/api/v1/feed", HttpCompletionOption.ResponseHeadersRead), System.Net.HttpStatusCode.TooManyRequests,
                "too_many_feeds");
        }

        // Closing a feed gives its place back (once the silo has seen the connection go).
        var third = await Eventually.ValueAsync(() => client.GetAsync("/api/v1/feed", HttpCompletionOption.ResponseHeadersRead),
            response => response.IsSuccessStatusCode, TimeSpan.FromSeconds(10));
        third.Dispose();
        await first.DisposeAsync();
    }

    [Fact]
    public async Task A_feed_whose_subscription_failed_subscribes_again_for_the_next_listener()
    {
        await using var silo = await ApiHost.StartAsync();
        await silo.ListAndIssueAsync("feed-retry", 1_000, 300);
        var token = await silo.CreateKeyAsync("feed-retry-fan");
        await silo.FundAsync("feed-retry-fan", 100_000);
        await using var connection = new Npgsql.NpgsqlConnection(silo.ConnectionString);
        await connection.OpenAsync();
        async Task SqlAsync(string sql)
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        // Subscribing stores the subscriber in Orleans' grain storage: with its table gone, the subscription fails.
        using var listener = silo.Client();
        await SqlAsync("ALTER TABLE orleansstorage RENAME TO orleansstorage_away");
        using (var failed = await listener.GetAsync("/api/v1/feed?celebrity=feed-retry", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.False(failed.IsSuccessStatusCode);
        }

        await SqlAsync("ALTER TABLE orleansstorage_away RENAME TO orleansstorage");
        await using var feed = await FeedEvents.OpenAsync(listener, "/api/v1/feed?celebrity=feed-retry");
        using var fan = silo.Client(token);
        Expect(System.Net.HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders",
            new { clientOrderId = "after-failure", celebrityId = "feed-retry", side = "buy", priceFen = 300, quantity = 2 }));
        Assert.Equal(2, (await feed.NextAsync("trade")).GetProperty("trade").GetProperty("quantity").GetInt64());
    }

    [Fact]
    public async Task A_feed_filter_naming_a_celebrity_not_listed_is_refused_naming_it()
    {
        await host.ListAndIssueAsync("feed-known", 1_000, 300);
        using var client = host.Client();

        using var refused = await client.GetAsync("/api/v1/feed?celebrity=feed-known&celebrity=feed-typo&celebrity=feed-typo",
            HttpCompletionOption.ResponseHeadersRead);

        var problem = await ExpectProblemAsync(refused, System.Net.HttpStatusCode.NotFound, "unknown_celebrity");
        Assert.Equal("No celebrity 'feed-typo' is listed.", problem.GetProperty("detail").GetString());
        await using var listed = await FeedEvents.OpenAsync(client, "/api/v1/feed?celebrity=feed-known");
    }

    [Fact]
    public async Task A_feed_filter_with_absurd_values_is_refused()
    {
        using var client = host.Client();
        var tooMany = string.Join("&", Enumerable.Range(0, 101).Select(i => $"celebrity=c{i}"));

        await ExpectProblemAsync(await client.GetAsync("/api/v1/feed?" + tooMany), System.Net.HttpStatusCode.BadRequest, "invalid_request");
    }
}
