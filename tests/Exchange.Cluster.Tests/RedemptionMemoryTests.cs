using Exchange.Cluster.Tests.Infrastructure;

namespace Exchange.Cluster.Tests;

/// <summary>
/// A celebrity counts a redemption once however often its scheduler repeats it, and forgets the id only long after any
/// repeat can come, so its state does not grow with every chat and booking for ever. A cluster of its own: the test
/// counts redemptions no wallet burned, which another class's audit would rightly report.
/// </summary>
public sealed class RedemptionMemoryTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    [Fact]
    public async Task A_redemption_id_is_counted_once_while_remembered_and_forgotten_after_thirty_days()
    {
        await Exchange.ListAndIssueAsync("memory-star", 100, 10);
        var celebrity = Exchange.Celebrity("memory-star");
        async Task<long> RedeemedAsync() => (await celebrity.GetProfile())!.RedeemedSeconds;

        await celebrity.RecordRedemption("r-1", 5, counted: false);
        Exchange.Clock.Advance(TimeSpan.FromDays(29));
        await celebrity.RecordRedemption("r-1", 5, counted: false); // a very late repeat: still counted once
        await Exchange.DeactivateIdleGrainsAsync();
        await celebrity.RecordRedemption("r-1", 5, counted: false); // and after the celebrity was written and read back
        Assert.Equal(5, await RedeemedAsync());

        Exchange.Clock.Advance(TimeSpan.FromDays(2));
        await celebrity.RecordRedemption("r-2", 1, counted: false); // the next redemption forgets what is over 30 days old
        await celebrity.RecordRedemption("r-1", 5, counted: false);

        Assert.Equal(11, await RedeemedAsync());
    }
}
