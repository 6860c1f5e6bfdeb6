using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;
using Exchange.Grains.Hosting;
using Exchange.Grains.State;
using Exchange.Grains.Storage;
using Orleans.Serialization;
using Orleans.Storage;

namespace Exchange.Cluster.Tests;

/// <summary>Wallets live in PostgreSQL rows written in batches, each row still guarded by the version its writer read.</summary>
public class VersionedStateStoreTests
{
    [Fact]
    public async Task Writes_arriving_together_all_land_and_a_stale_one_among_them_fails_alone()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        var store = exchange.SiloService<IVersionedStateStore>();
        var keys = Enumerable.Range(0, 300).Select(i => $"batch-{i}").ToList();
        Assert.All(await Task.WhenAll(keys.Select(key => store.WriteAsync("probe", key, 0, [1]))), version => Assert.Equal(1, version));

        // One more round, all at once; one writer of them is stale and one is a second first write.
        var writes = keys.Select(key => key switch
        {
            "batch-7" => store.WriteAsync("probe", key, 0, [9]),
            "batch-8" => store.WriteAsync("probe", key, 5, [9]),
            _ => store.WriteAsync("probe", key, 1, [2]),
        }).ToList();
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[7]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[8]);
        Assert.All(writes.Where((_, i) => i is not 7 and not 8), write => Assert.Equal(2, write.Result));

        Assert.Equal(new StoredState(2, [2], []), await store.ReadAsync("probe", "batch-0"), Comparer);
        Assert.Equal(new StoredState(1, [1], []), await store.ReadAsync("probe", "batch-7"), Comparer);
        Assert.Equal(new StoredState(1, [1], []), await store.ReadAsync("probe", "batch-8"), Comparer);
        Assert.Null(await store.ReadAsync("other-kind", "batch-0"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Items_change_with_their_state_and_not_at_all_when_its_write_is_refused(bool withoutDatabase)
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        // The silo's PostgreSQL store, or the one a silo without a database uses (same contract).
        IVersionedStateStore store = withoutDatabase ? new InMemoryVersionedStateStore() : exchange.SiloService<IVersionedStateStore>();
        await store.WriteAsync("probe", "itemised", 0, [1], new StateItemChanges([new("a", 1, [10]), new("b", 2, [20])], []));
        await store.WriteAsync("probe", "other", 0, [1], new StateItemChanges([new("a", 1, [99])], []));

        var writes = new[]
        {
            store.WriteAsync("probe", "itemised", 1, [2], new StateItemChanges([new("b", 2, [21]), new("c", 0, [30])], ["a"])),
            store.WriteAsync("probe", "other", 7, [2], new StateItemChanges([new("z", 0, [0])], ["a"])),
        };
        Assert.Equal(2, await writes[0]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[1]);

        var itemised = await store.ReadAsync("probe", "itemised");
        Assert.Equal(new StoredState(2, [2], [new("c", 0, [30]), new("b", 2, [21])]), itemised, Comparer);
        var other = await store.ReadAsync("probe", "other");
        Assert.Equal(new StoredState(1, [1], [new("a", 1, [99])]), other, Comparer);
    }

    [Fact]
    public async Task A_busy_wallet_stores_its_orders_and_transfers_apart_and_keeps_the_newest_across_restarts()
    {
        var first = await ExchangeCluster.StartAsync();
        await first.ListAndIssueAsync("busy-star", 1_000, 700);
        await first.FundAsync("fan-busy", 1_000_000);
        for (var i = 0; i < 200; i++)
        {
            // Crossing IOC orders: each fills at once and closes.
            var placed = await first.LimitAsync("fan-busy", "busy-star", Side.Buy, 700, 1, TimeInForce.ImmediateOrCancel, clientOrderId: $"busy-{i}");
            Assert.True(placed.Succeeded, placed.Error?.Message);
        }

        await first.LimitAsync("fan-busy", "busy-star", Side.Buy, 690, 3, clientOrderId: "busy-open");
        await first.SettleAsync("busy-star");
        // Another fan sells into the resting bid: the open order changes after it was first stored.
        await first.FundAsync("fan-partial", 100_000);
        Assert.True((await first.LimitAsync("fan-partial", "busy-star", Side.Buy, 700, 5, TimeInForce.ImmediateOrCancel)).Succeeded);
        await first.SettleAsync("busy-star");
        Assert.True((await first.LimitAsync("fan-partial", "busy-star", Side.Sell, 690, 1)).Succeeded);
        await first.SettleAsync("busy-star");
        var ordersBefore = await first.Wallet("fan-busy").GetOrders(includeClosed: true);
        Assert.Equal(200, ordersBefore.Count(order => order.State == OrderState.Filled));
        Assert.Equal((OrderState.PartiallyFilled, 1L), ordersBefore.Where(order => order.ClientOrderId == "busy-open").Select(order => (order.State, order.FilledQuantity)).Single());

        var stored = await first.SiloService<IVersionedStateStore>().ReadAsync("wallet", "fan-busy");
        Assert.NotNull(stored);
        var orderSerializer = first.SiloService<Serializer<WalletOrderState>>();
        var orderItems = stored.Items.Where(item => item.Name.StartsWith("order:", StringComparison.Ordinal))
            .Select(item => orderSerializer.Deserialize(item.Payload)!).ToList();
        Assert.Equal(200, orderItems.Count(order => order.ClosedPosition > 0));
        // Every order is held (200 closed, one open) and its item carries its client order id: no rows of their own.
        Assert.DoesNotContain(stored.Items, item => item.Name.StartsWith("client:", StringComparison.Ordinal));
        Assert.Single(stored.Items, item => item.Name.StartsWith("transfer:", StringComparison.Ordinal));
        Assert.Equal(1, Assert.Single(orderItems, order => order.ClosedPosition == 0).FilledQuantity);
        Assert.Single(stored.Items, item => item.Name == "position:busy-star");
        Assert.Equal(201 + 1 + 1, stored.Items.Count);
        var header = first.SiloService<Serializer<WalletState>>().Deserialize(stored.Payload)!;
        Assert.Empty(header.ClosedOrders);
        Assert.Empty(header.ClientOrders);
        Assert.Empty(header.OpenOrders);
        Assert.Empty(header.Holdings);
        Assert.Empty(header.ProcessedTransfers);
        await first.DisposeAsync();

        await using var second = await ExchangeCluster.StartAsync(silos: 1, first.ConnectionString, first.ServiceId);
        Assert.Equal(ordersBefore, await second.Wallet("fan-busy").GetOrders(includeClosed: true));
        var replay = await second.LimitAsync("fan-busy", "busy-star", Side.Buy, 700, 1, TimeInForce.ImmediateOrCancel, clientOrderId: "busy-3");
        Assert.True(replay.WasReplay);
        Assert.Equal("fan-busy:4", replay.Order!.OrderId);

        // Two more closed orders push out the two that closed first, as they would have without the restart.
        for (var i = 0; i < 2; i++)
        {
            var placed = await second.LimitAsync("fan-busy", "busy-star", Side.Buy, 700, 1, TimeInForce.ImmediateOrCancel);
            Assert.Equal(OrderState.Filled, placed.Order?.State);
        }

        await second.SettleAsync("busy-star");
        var closed = (await second.Wallet("fan-busy").GetOrders(includeClosed: true)).Where(order => order.State == OrderState.Filled);
        Assert.Equal(Enumerable.Range(3, 198).Append(202).Append(203).Select(number => $"fan-busy:{number}").Order(),
            closed.Select(order => order.OrderId).Order());
        await second.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_wallet_row_holding_open_orders_and_transfer_keys_moves_them_into_items_on_its_first_write()
    {
        var first = await ExchangeCluster.StartAsync();
        // A row as written before open orders and transfer keys were items: both inside the row.
        var open = new WalletOrderState
        {
            OrderId = "fan-upgraded:1", ClientOrderId = "c-1", CelebrityId = "upgraded-star", OrderNumber = 1, Side = Side.Buy,
            Type = OrderType.Limit, TimeInForce = TimeInForce.GoodTillCancel, LimitPriceFen = 700, ReservationPriceFen = 700,
            Quantity = 10, State = OrderState.Open, CreatedAt = first.Clock.GetUtcNow(),
        };
        var row = new WalletState
        {
            Registered = true, CashAvailable = 3_000, CashReserved = 7_000, TotalDepositedFen = 10_000, LastOrderNumber = 1,
            OpenOrders = { [open.OrderId] = open }, ProcessedTransfers = { "dep-1" },
        };
        var serializer = first.SiloService<Serializer<WalletState>>();
        await first.SiloService<IVersionedStateStore>().WriteAsync("wallet", "fan-upgraded", 0, serializer.SerializeToArray(row));

        Assert.Equal(TransferResult.Replayed, await first.Wallet("fan-upgraded").Deposit("dep-1", 10_000));
        Assert.True((await first.Wallet("fan-upgraded").Deposit("dep-2", 500)).Succeeded);
        var before = await first.Wallet("fan-upgraded").GetSnapshot();
        Assert.Equal((3_500L, 7_000L, "fan-upgraded:1"), (before.CashAvailableFen, before.CashReservedFen, Assert.Single(before.OpenOrders).OrderId));

        var stored = await first.SiloService<IVersionedStateStore>().ReadAsync("wallet", "fan-upgraded");
        Assert.NotNull(stored);
        var header = serializer.Deserialize(stored.Payload)!;
        Assert.Empty(header.OpenOrders);
        Assert.Empty(header.ProcessedTransfers);
        Assert.Equal(["order:fan-upgraded:1", "transfer:dep-1", "transfer:dep-2"], stored.Items.Select(item => item.Name).Order());
        await first.DisposeAsync();

        await using var second = await ExchangeCluster.StartAsync(silos: 1, first.ConnectionString, first.ServiceId);
        Assert.Equivalent(before, await second.Wallet("fan-upgraded").GetSnapshot());
        Assert.Equal(TransferResult.Replayed, await second.Wallet("fan-upgraded").Deposit("dep-2", 500));
    }

    [Fact]
    public async Task A_client_order_id_stored_as_a_row_while_its_order_is_held_is_dropped_on_the_first_write_and_still_honoured()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        await exchange.ListAndIssueAsync("carried-star", 1_000, 700);
        // As written before held orders carried their client order ids: a row of its own beside the open order's.
        var open = new WalletOrderState
        {
            OrderId = "fan-carried:1", ClientOrderId = "c-1", CelebrityId = "carried-star", OrderNumber = 1, Side = Side.Buy,
            Type = OrderType.Limit, TimeInForce = TimeInForce.GoodTillCancel, LimitPriceFen = 700, ReservationPriceFen = 700,
            Quantity = 10, State = OrderState.Open, CreatedAt = exchange.Clock.GetUtcNow(),
        };
        var row = new WalletState { Registered = true, CashAvailable = 3_000, CashReserved = 7_000, TotalDepositedFen = 10_000, LastOrderNumber = 1 };
        var serializer = exchange.SiloService<Serializer>();
        await exchange.SiloService<IVersionedStateStore>().WriteAsync("wallet", "fan-carried", 0, serializer.SerializeToArray(row), new StateItemChanges(
            [new("open:fan-carried:1", 1, serializer.SerializeToArray(open)), new("client:c-1", 0, serializer.SerializeToArray(new RememberedClientOrder(open.OrderId, open.CreatedAt)))],
            []));

        Assert.True((await exchange.Wallet("fan-carried").Deposit("dep-1", 500)).Succeeded);

        var stored = await exchange.SiloService<IVersionedStateStore>().ReadAsync("wallet", "fan-carried");
        Assert.Equal(["order:fan-carried:1", "transfer:dep-1"], stored!.Items.Select(item => item.Name).Order());
        await exchange.DeactivateIdleGrainsAsync();
        var replay = await exchange.LimitAsync("fan-carried", "carried-star", Side.Buy, 700, 10, clientOrderId: "c-1");
        Assert.True(replay.WasReplay);
        Assert.Equal(open.OrderId, replay.Order!.OrderId);
    }

    [Fact]
    public async Task Open_and_closed_orders_stored_under_their_old_names_become_order_items_on_the_first_write()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        WalletOrderState Order(long number, OrderState state, long closedPosition) => new()
        {
            OrderId = $"fan-renamed:{number}", ClientOrderId = $"c-{number}", CelebrityId = "renamed-star", OrderNumber = number, Side = Side.Buy,
            Type = OrderType.Limit, TimeInForce = TimeInForce.GoodTillCancel, LimitPriceFen = 700, ReservationPriceFen = 700, Quantity = 10,
            CancelledQuantity = state == OrderState.Cancelled ? 10 : 0, State = state, CreatedAt = exchange.Clock.GetUtcNow(), ClosedPosition = closedPosition,
        };
        var (older, newer, open) = (Order(1, OrderState.Cancelled, 1), Order(2, OrderState.Cancelled, 2), Order(3, OrderState.Open, 0));
        var row = new WalletState { Registered = true, CashAvailable = 3_000, CashReserved = 7_000, TotalDepositedFen = 10_000, LastOrderNumber = 3, OrdersClosed = 2 };
        var serializer = exchange.SiloService<Serializer>();
        await exchange.SiloService<IVersionedStateStore>().WriteAsync("wallet", "fan-renamed", 0, serializer.SerializeToArray(row), new StateItemChanges(
            [new("closed:fan-renamed:2", 2, serializer.SerializeToArray(newer)), new("closed:fan-renamed:1", 1, serializer.SerializeToArray(older)),
                new("open:fan-renamed:3", 3, serializer.SerializeToArray(open))],
            []));
        var before = await exchange.Wallet("fan-renamed").GetOrders(includeClosed: true);

        Assert.True((await exchange.Wallet("fan-renamed").Deposit("dep-1", 500)).Succeeded);

        var stored = await exchange.SiloService<IVersionedStateStore>().ReadAsync("wallet", "fan-renamed");
        Assert.Equal(["order:fan-renamed:1", "order:fan-renamed:2", "order:fan-renamed:3", "transfer:dep-1"], stored!.Items.Select(item => item.Name).Order());
        await exchange.DeactivateIdleGrainsAsync();
        Assert.Equal(before, await exchange.Wallet("fan-renamed").GetOrders(includeClosed: true));
        Assert.Equal(["fan-renamed:3"], (await exchange.Wallet("fan-renamed").GetSnapshot()).OpenOrders.Select(order => order.OrderId));
        Assert.True((await exchange.LimitAsync("fan-renamed", "renamed-star", Side.Buy, 700, 10, clientOrderId: "c-1")).WasReplay);
    }

    [Fact]
    public async Task Of_two_writers_starting_from_the_same_version_exactly_one_wins()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        var store = exchange.SiloService<IVersionedStateStore>();
        await store.WriteAsync("probe", "contested", 0, [0]);

        for (var round = 1; round <= 20; round++)
        {
            var first = store.WriteAsync("probe", "contested", round, [1]);
            var second = store.WriteAsync("probe", "contested", round, [2]);
            var outcomes = await Task.WhenAll(Outcome(first), Outcome(second));
            Assert.Single(outcomes, won => won);
        }

        Assert.Equal(21, (await store.ReadAsync("probe", "contested"))!.Version);
    }

    [Fact]
    public async Task A_wallet_kept_in_grain_storage_moves_into_the_store_on_its_first_write()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        var grainStorage = exchange.SiloService<IGrainStorage>(StorageNames.Exchange);
        var walletId = exchange.Wallet("fan-legacy").GetGrainId();
        await grainStorage.WriteStateAsync("wallet", walletId, new GrainState<WalletState>
        {
            State = new WalletState { Registered = true, CashAvailable = 5_000, TotalDepositedFen = 5_000 },
        });

        Assert.Equal(5_000, (await exchange.Wallet("fan-legacy").GetSnapshot()).CashAvailableFen);
        await exchange.FundAsync("fan-legacy", 1_000);

        var stored = await exchange.SiloService<IVersionedStateStore>().ReadAsync("wallet", "fan-legacy");
        Assert.NotNull(stored);
        var state = exchange.SiloService<Serializer<WalletState>>().Deserialize(stored.Payload)!;
        Assert.Equal(6_000, state.CashAvailable);
        var afterMove = new GrainState<WalletState> { State = new WalletState() };
        await grainStorage.ReadStateAsync("wallet", walletId, afterMove);
        Assert.False(afterMove.RecordExists, "the superseded grain-state row should have been cleared");
    }

    [Fact]
    public async Task The_commission_account_kept_in_grain_storage_moves_into_the_store_with_its_fees()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        var grainStorage = exchange.SiloService<IGrainStorage>(StorageNames.Exchange);
        var accountId = exchange.Grains.GetGrain<ICommissionGrain>(ICommissionGrain.Key).GetGrainId();
        await grainStorage.WriteStateAsync("commission", accountId, new GrainState<CommissionState>
        {
            State = new CommissionState { TotalFen = 500, TradeCount = 2, ByCelebrityFen = { ["old-star"] = 500 }, CreditedSequence = { ["old-star"] = 2 } },
        });

        await exchange.ListAndIssueAsync("fee-star", 100, 1_000);
        await exchange.FundAsync("fan-fee", 1_000_000);
        await exchange.LimitAsync("fan-fee", "fee-star", Side.Buy, 1_000, 10);
        await exchange.SettleAsync("fee-star");

        var totals = await exchange.Grains.GetGrain<ICommissionGrain>(ICommissionGrain.Key).GetTotals();
        Assert.Equal(500 + 300, totals.TotalFen);   // 3% of 10 s at 1,000 fen
        Assert.Equal(3, totals.TradeCount);
        var stored = await exchange.SiloService<IVersionedStateStore>().ReadAsync("commission", ICommissionGrain.Key);
        Assert.NotNull(stored);
        Assert.Equal(800, exchange.SiloService<Serializer<CommissionState>>().Deserialize(stored.Payload)!.TotalFen);
        var afterMove = new GrainState<CommissionState> { State = new CommissionState() };
        await grainStorage.ReadStateAsync("commission", accountId, afterMove);
        Assert.False(afterMove.RecordExists, "the superseded grain-state row should have been cleared");
    }

    [Fact]
    public async Task Market_data_keeps_each_candle_as_a_row_and_gets_them_back_after_a_restart()
    {
        var first = await ExchangeCluster.StartAsync();
        await first.ListAndIssueAsync("candle-star", 1_000, 700);
        await first.FundAsync("fan-candle", 1_000_000);
        for (var minute = 0; minute < 5; minute++)
        {
            await first.LimitAsync("fan-candle", "candle-star", Side.Buy, 700, 2 + minute, TimeInForce.ImmediateOrCancel);
            await first.LimitAsync("fan-candle", "candle-star", Side.Buy, 700, 1, TimeInForce.ImmediateOrCancel);
            first.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        await first.SettleAsync("candle-star");
        var market = first.Grains.GetGrain<IMarketDataGrain>("candle-star");
        var before = await Eventually.ValueAsync(() => market.GetSummary(100), summary => summary.TradeCount == 10);
        Assert.Equal([3L, 4L, 5L, 6L, 7L], before.Candles.Select(candle => candle.Volume));

        var stored = await first.SiloService<IVersionedStateStore>().ReadAsync("marketdata", "candle-star");
        Assert.NotNull(stored);
        Assert.Equal(5, stored.Items.Count(item => item.Name.StartsWith("candle:", StringComparison.Ordinal)));
        Assert.Empty(first.SiloService<Serializer<MarketDataState>>().Deserialize(stored.Payload)!.Candles);
        await first.DisposeAsync();

        await using var second = await ExchangeCluster.StartAsync(silos: 1, first.ConnectionString, first.ServiceId);
        var after = await second.Grains.GetGrain<IMarketDataGrain>("candle-star").GetSummary(100);
        Assert.Equal(before.Candles, after.Candles);
        Assert.Equal(before.TradeCount, after.TradeCount);
    }

    private static async Task<bool> Outcome(Task<long> write)
    {
        try
        {
            await write;
            return true;
        }
        catch (InconsistentStateException)
        {
            return false;
        }
    }

    private static readonly IEqualityComparer<StoredState?> Comparer = EqualityComparer<StoredState?>.Create(
        (left, right) => left?.Version == right?.Version && (left?.Payload ?? []).SequenceEqual(right?.Payload ?? [])
            && (left?.Items ?? []).Select(Describe).SequenceEqual((right?.Items ?? []).Select(Describe)));

    private static string Describe(StateItem item) => $"{item.Name}@{item.Sort}={Convert.ToHexString(item.Payload)}";

}
