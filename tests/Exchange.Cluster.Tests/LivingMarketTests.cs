using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Listing;
using Exchange.Grains.Hosting;
using Exchange.Simulation;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Exchange.Cluster.Tests;

public class LivingMarketTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_catalog_loads_once_and_a_short_simulation_trades_on_many_books_with_the_audit_passing()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        var loader = new CatalogLoader(exchange.Grains, NullLogger<CatalogLoader>.Instance);
        var qualifying = SeedCatalog.Entries.Count(e => ListingRules.Default.Refusal(e.Audience) is null);

        var first = await loader.LoadAsync(SeedCatalog.Entries);
        var treasuryAfterFirst = await exchange.Wallet(AccountIds.Treasury).GetSnapshot();
        var second = await loader.LoadAsync(SeedCatalog.Entries);
        var treasuryAfterSecond = await exchange.Wallet(AccountIds.Treasury).GetSnapshot();

        Assert.Empty(first.Problems);
        Assert.Equal((qualifying, qualifying), (first.Listed, first.Issued));
        Assert.Equal(SeedCatalog.Entries.Count - qualifying, first.Refused);
        Assert.Equal((0, qualifying, 0), (second.Listed, second.AlreadyListed, second.Issued));
        Assert.Equal(treasuryAfterFirst.TotalDepositedFen, treasuryAfterSecond.TotalDepositedFen);
        Assert.Equal(qualifying, (await exchange.Grains.GetGrain<IOperatorGrain>("o").ListCelebrities()).Count);
        var refused = SeedCatalog.Entries.First(e => ListingRules.Default.Refusal(e.Audience) is not null);
        Assert.Null(await exchange.Celebrity(refused.CelebrityId).GetProfile());

        var port = new GrainMarketPort(exchange.Grains, _ => exchange.Grains.GetGrain<IOperatorGrain>("o").ListCelebrities());
        var simulator = new MarketSimulator(port, new SimulationOptions { ActiveCelebrities = 12, Pause = TimeSpan.Zero, Seed = 9 });
        await simulator.RunAsync(rounds: 25, CancellationToken.None);
        output.WriteLine(simulator.Stats.ToString());

        Assert.True(simulator.Stats.BooksTraded >= 6, simulator.Stats.ToString());
        Assert.True(simulator.Stats.Fills > 50, simulator.Stats.ToString());
        Assert.True(simulator.Stats.Repriced > 0, simulator.Stats.ToString());
        Assert.Equal(0, simulator.Stats.Failures);
        // Simulated fans chat as real ones do: the celebrity's side answers and the fan pays for the moments between.
        Assert.True(simulator.Stats.Chats > 0, simulator.Stats.ToString());
        var listed = await exchange.Grains.GetGrain<IOperatorGrain>("o").ListCelebrities();
        var chats = (await Task.WhenAll(listed.Select(id => exchange.Grains.GetGrain<IChatInboxGrain>(id).List(null)))).SelectMany(inbox => inbox).ToList();
        Assert.Equal(simulator.Stats.Chats, chats.Count);
        Assert.All(chats, chat => Assert.Equal((ChatView.Ended, 2, "fan"), (chat.Status, chat.MessageCount, chat.EndedBy)));
        Assert.All(chats, chat => Assert.InRange(chat.UsedSeconds, 1, chat.HeldSeconds));
        var read = (await exchange.Grains.GetGrain<IChatSessionGrain>(IChatSessionGrain.KeyOf(chats[0].CelebrityId, chats[0].ChatId)).Get(null))!;
        Assert.Equal((await exchange.Celebrity(chats[0].CelebrityId).GetProfile())!.AgentId, read.Messages[1].AuthorId);
        await exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Simulated_traders_send_limit_orders_to_a_halted_books_reopening_auction()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        const string star = "sim-halted";
        await exchange.ListAndIssueAsync(star, 100, 1_000);
        await exchange.FundAsync("sim-halt-seller", 1_000_000);
        await exchange.FundAsync("sim-halt-spiker", 1_000_000);
        await exchange.LimitAsync("sim-halt-seller", star, Domain.Orders.Side.Buy, 1_000, 100);
        await exchange.SettleAsync(star);
        await exchange.LimitAsync("sim-halt-seller", star, Domain.Orders.Side.Sell, 1_060, 10);
        await exchange.LimitAsync("sim-halt-spiker", star, Domain.Orders.Side.Buy, 1_060, 10);
        await exchange.SettleAsync(star);
        Assert.True((await exchange.Book(star).GetQuote()).AuctionCall);

        var port = new GrainMarketPort(exchange.Grains, _ => Task.FromResult<IReadOnlyList<string>>([star]));
        var simulator = new MarketSimulator(port, new SimulationOptions { ActiveCelebrities = 1, Pause = TimeSpan.Zero, Seed = 11 });
        await simulator.RunAsync(rounds: 5, CancellationToken.None);
        var depth = await exchange.Book(star).GetDepth(50);
        output.WriteLine(simulator.Stats.ToString());

        Assert.True(depth.Bids.Sum(level => level.OrderCount) >= 3, $"{depth.Bids.Count} bid levels: {simulator.Stats}");
        Assert.Equal(0, simulator.Stats.Failures);
        exchange.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.False((await exchange.Book(star).GetQuote()).AuctionCall);
        await exchange.SettleAsync(star);
        await exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_simulated_market_keeps_going_the_platform_issues_time_on_a_bought_out_book_and_fans_get_paid()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        const string star = "sim-sold-out";
        await exchange.ListAndIssueAsync(star, 60, 1_000);
        await exchange.FundAsync("sim-sold-out-buyer", 1_000_000);
        await exchange.LimitAsync("sim-sold-out-buyer", star, Domain.Orders.Side.Buy, 1_000, 60);
        await exchange.SettleAsync(star);
        Assert.Null((await exchange.Book(star).GetQuote()).BestAskFen);

        var port = new GrainMarketPort(exchange.Grains, _ => Task.FromResult<IReadOnlyList<string>>([star]));
        var options = new SimulationOptions { ActiveCelebrities = 1, Pause = TimeSpan.Zero, Seed = 5, TopUpEveryRounds = 3, IssuanceValueFen = 300_000 };
        var simulator = new MarketSimulator(port, options);
        await simulator.RunAsync(rounds: 6, CancellationToken.None);
        await exchange.SettleAsync(star);
        output.WriteLine(simulator.Stats.ToString());

        // Bought out, the book had no offer until the platform's desk issued more time (worth about 3,000 CNY each time, a
        // little above the last price); the fans bought that too, so it may have issued again.
        Assert.True(simulator.Stats.Issuances >= 1, simulator.Stats.ToString());
        var issued = (await exchange.Celebrity(star).GetAuditTotals()).IssuedSeconds;
        Assert.InRange(issued, 60 + 50 * simulator.Stats.Issuances, 60 + 300 * simulator.Stats.Issuances);
        Assert.True(simulator.Stats.Fills > 0, simulator.Stats.ToString());
        // Pay day: the fans who spent cash on time got it back to what they started with.
        Assert.True(simulator.Stats.TopUps > 0, simulator.Stats.ToString());
        var fans = await Task.WhenAll(Enumerable.Range(1, options.NoiseTraders).Select(i => exchange.Wallet($"sim-noise-{i:D2}").GetSnapshot()));
        Assert.Contains(fans, fan => fan.TotalDepositedFen > options.StartingCashFen);
        Assert.Equal(0, simulator.Stats.Failures);
        await exchange.AssertAuditPassesAsync();
    }
}
