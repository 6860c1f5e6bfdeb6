using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Grains.Hosting;
using Exchange.Grains.State;
using Orleans.Storage;

namespace Exchange.Cluster.Tests;

/// <summary>
/// The ADO.NET provider over our own SQL must refuse every write that does not start from the version it last saw:
/// recovery after a storage fault relies on a stale activation never overwriting a newer one's state.
/// </summary>
public class GrainStorageConflictTests
{
    [Fact]
    public async Task A_write_from_a_stale_version_or_a_second_first_write_is_refused_and_changes_nothing()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        var storage = exchange.SiloService<IGrainStorage>(StorageNames.Exchange);
        var grainId = GrainId.Create("wallet", "conflict-probe");

        var first = new GrainState<CommissionState> { State = new CommissionState { TotalFen = 1 } };
        await storage.WriteStateAsync("wallet", grainId, first);
        var secondFirst = new GrainState<CommissionState> { State = new CommissionState { TotalFen = 2 } };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("wallet", grainId, secondFirst));

        var staleETag = first.ETag;
        first.State.TotalFen = 3;
        await storage.WriteStateAsync("wallet", grainId, first);
        var stale = new GrainState<CommissionState> { State = new CommissionState { TotalFen = 4 }, ETag = staleETag, RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("wallet", grainId, stale));

        var read = new GrainState<CommissionState> { State = new CommissionState() };
        await storage.ReadStateAsync("wallet", grainId, read);
        Assert.Equal(3, read.State.TotalFen);
        Assert.Equal(first.ETag, read.ETag);
    }
}
