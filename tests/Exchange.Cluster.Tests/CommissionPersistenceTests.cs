using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Grains.State;
using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;

namespace Exchange.Cluster.Tests;

/// <summary>
/// The commission account takes a credit from every book: its per-celebrity and per-day figures are items, so a write
/// costs what it credited, not every celebrity and day ever traded.
/// </summary>
public class CommissionPersistenceTests
{
    private static readonly DateOnly Monday = new(2026, 11, 23);

    [Fact]
    public async Task A_write_stores_only_the_celebrities_and_days_that_changed_and_reads_back_whole()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        var store = new RecordingStateStore(exchange.SiloService<IVersionedStateStore>());
        var serializer = exchange.SiloService<Serializer>();
        var persistence = new CommissionPersistence(store, serializer, "commission-probe", new NoLegacyRow<CommissionState>(), NullLogger.Instance);
        var state = await persistence.ReadAsync(CancellationToken.None);

        Credit(state, "star-a", 30, sequence: 1, Monday);
        Credit(state, "star-b", 12, sequence: 4, Monday);
        await persistence.WriteAsync(state);
        Assert.Equal(["celebrity:star-a", "celebrity:star-b", "day:2026-11-23"], store.LastUpserts.Order());

        Credit(state, "star-b", 9, sequence: 6, Monday.AddDays(1));
        await persistence.WriteAsync(state);
        Assert.Equal(["celebrity:star-b", "day:2026-11-24"], store.LastUpserts.Order());

        state.TradeCount++;
        await persistence.WriteAsync(state);
        Assert.Empty(store.LastUpserts);

        var stored = await exchange.SiloService<IVersionedStateStore>().ReadAsync("commission", "commission-probe");
        Assert.NotNull(stored);
        var row = serializer.Deserialize<CommissionState>(stored.Payload)!;
        Assert.Equal((0, 0, 0), (row.ByCelebrityFen.Count, row.CreditedSequence.Count, row.ByDayFen.Count));

        var reread = await new CommissionPersistence(store, serializer, "commission-probe", new NoLegacyRow<CommissionState>(), NullLogger.Instance)
            .ReadAsync(CancellationToken.None);
        Assert.Equivalent(state, reread, strict: true);
    }

    [Fact]
    public async Task A_row_holding_every_celebrity_and_day_moves_them_into_items_on_its_first_write()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        var serializer = exchange.SiloService<Serializer>();
        var old = new CommissionState { TotalFen = 42, TradeCount = 3 };
        Credit(old, "star-old", 42, sequence: 9, Monday);
        await exchange.SiloService<IVersionedStateStore>().WriteAsync("commission", "commission-old", 0, serializer.SerializeToArray(old));

        var store = new RecordingStateStore(exchange.SiloService<IVersionedStateStore>());
        var persistence = new CommissionPersistence(store, serializer, "commission-old", new NoLegacyRow<CommissionState>(), NullLogger.Instance);
        var state = await persistence.ReadAsync(CancellationToken.None);
        Assert.Equivalent(old, state, strict: true);

        await persistence.WriteAsync(state);
        Assert.Equal(["celebrity:star-old", "day:2026-11-23"], store.LastUpserts.Order());
        var reread = await new CommissionPersistence(store, serializer, "commission-old", new NoLegacyRow<CommissionState>(), NullLogger.Instance)
            .ReadAsync(CancellationToken.None);
        Assert.Equivalent(old, reread, strict: true);
    }

    /// <summary>What <see cref="Exchange.Grains.Grains.CommissionGrain"/> does with a credited trade.</summary>
    private static void Credit(CommissionState state, string celebrityId, long feeFen, long sequence, DateOnly day)
    {
        state.TotalFen += feeFen;
        state.TradeCount++;
        state.ByCelebrityFen[celebrityId] = state.ByCelebrityFen.GetValueOrDefault(celebrityId) + feeFen;
        state.ByDayFen[day] = state.ByDayFen.GetValueOrDefault(day) + feeFen;
        state.CreditedSequence[celebrityId] = sequence;
    }
}
