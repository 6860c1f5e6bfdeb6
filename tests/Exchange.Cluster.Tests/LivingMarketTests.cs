using Exchange.Abstractions;
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
        await exchange.AssertAuditPassesAsync();
    }
}
