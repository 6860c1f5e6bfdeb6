using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;
using Exchange.Grains.Hosting;

namespace Exchange.Cluster.Tests;

/// <summary>A cluster of its own: the silo's backlog then holds only this class's books.</summary>
public class SettlementBacklogTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Cluster => fixture.Exchange;

    [Fact]
    public async Task A_book_whose_deliveries_fail_shows_its_waiting_events_and_how_long_it_has_stalled_until_it_settles()
    {
        var backlog = Cluster.SiloService<SettlementBacklog>();
        await Cluster.ListAndIssueAsync("backlog-star", 100, 1_000);
        await Cluster.FundAsync("backlog-fan", 1_000_000);
        await Cluster.SettleAsync("backlog-star");
        Assert.Equal(0, backlog.PendingEvents);

        var refusal = RefusedDeliveries.RefuseTo("backlog-fan");
        try
        {
            var bought = await Cluster.LimitAsync("backlog-fan", "backlog-star", Side.Buy, 1_000, 10);
            Assert.Equal(10, bought.Order!.FilledQuantity);
            var refusedBefore = RefusedDeliveries.Refused;
            await Eventually.ValueAsync(() => Task.FromResult(RefusedDeliveries.Refused), refused => refused > refusedBefore);

            // The trade waits for the fan's wallet; the clock shows for how long.
            Assert.Equal(1, backlog.PendingEvents);
            Cluster.Clock.Advance(TimeSpan.FromMinutes(3));
            Assert.True(backlog.LongestStall(Cluster.Clock.GetUtcNow()) >= TimeSpan.FromMinutes(3));
        }
        finally
        {
            refusal.Dispose();
        }

        await Cluster.WaitUntilSettledAsync(["backlog-star"]);
        Assert.Equal(0, backlog.PendingEvents);
        Assert.Equal(TimeSpan.Zero, backlog.LongestStall(Cluster.Clock.GetUtcNow()));
        Assert.Equal(10, (await Cluster.Wallet("backlog-fan").GetSnapshot()).Holdings.Single(h => h.CelebrityId == "backlog-star").Available);
        await Cluster.AssertAuditPassesAsync();
    }

    [Fact]
    public void A_settled_batch_restarts_the_wait_of_what_still_waits_and_an_empty_outbox_ends_it()
    {
        var backlog = new SettlementBacklog();
        var busy = backlog.Track();
        var idle = backlog.Track();
        var start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

        busy.Added(2, start);
        busy.Added(5, start.AddSeconds(10));
        idle.Added(0, start);
        Assert.Equal(5, backlog.PendingEvents);
        Assert.Equal(TimeSpan.FromSeconds(30), backlog.LongestStall(start.AddSeconds(30)));

        busy.Settled(1, start.AddSeconds(40));
        Assert.Equal(TimeSpan.FromSeconds(5), backlog.LongestStall(start.AddSeconds(45)));

        busy.Settled(0, start.AddSeconds(50));
        Assert.Equal((0, TimeSpan.Zero), (backlog.PendingEvents, backlog.LongestStall(start.AddMinutes(10))));

        busy.Added(3, start.AddMinutes(11));
        backlog.Untrack(busy);
        Assert.Equal((0, TimeSpan.Zero), (backlog.PendingEvents, backlog.LongestStall(start.AddMinutes(20))));
    }
}
