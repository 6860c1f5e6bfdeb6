using Exchange.Abstractions.Contracts;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;
using Exchange.Grains.Hosting;
using Exchange.Grains.State;
using Exchange.Grains.Storage;
using Orleans.Serialization;
using Orleans.Storage;

namespace Exchange.Cluster.Tests;

/// <summary>Books are stored incrementally in PostgreSQL: a header row and one row per resting order, with their trades journalled.</summary>
public class OrderBookStoreTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_write_changes_only_the_orders_it_names_and_a_stale_or_second_first_write_changes_nothing(bool withoutDatabase)
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        var store = Store(exchange, withoutDatabase);
        Assert.Null(await store.ReadAsync("store-probe"));

        var version = await store.WriteAsync("store-probe", 0, new OrderBookChanges(
            Header(referencePriceFen: 1_000), [Resting(1, 10, 10), Resting(2, 20, 20), Resting(3, 30, 30)], []));
        Assert.Equal(1, version);
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteAsync("store-probe", 0,
            new OrderBookChanges(Header(referencePriceFen: 9), [Resting(9, 9, 9)], [])));

        version = await store.WriteAsync("store-probe", version, new OrderBookChanges(
            Header(referencePriceFen: 1_100), [Resting(2, 20, 5), Resting(4, 40, 40)], [1]));
        Assert.Equal(2, version);
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteAsync("store-probe", 1,
            new OrderBookChanges(Header(referencePriceFen: 9), [Resting(5, 9, 9)], [2, 3, 4])));

        var stored = await store.ReadAsync("store-probe");
        Assert.NotNull(stored);
        Assert.Equal(2, stored.Version);
        Assert.Equal(1_100, stored.State.ReferencePriceFen);
        Assert.Equal([(2L, 5L), (3L, 30L), (4L, 40L)], stored.State.RestingOrders.Select(order => (order.EngineOrderId, order.RemainingQuantity)));
    }

    [Fact]
    public async Task Writes_of_many_books_arriving_together_all_land_and_a_stale_one_fails_alone()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        var store = exchange.SiloService<IOrderBookStore>();
        var books = Enumerable.Range(0, 40).Select(i => $"batched-{i}").ToList();
        await Task.WhenAll(books.Select(book => store.WriteAsync(book, 0, new OrderBookChanges(Header(1_000), [Resting(1, 10, 10)], []))));

        var writes = books.Select((book, i) => i == 13
            ? store.WriteAsync(book, 7, new OrderBookChanges(Header(9), [Resting(9, 9, 9)], [1]))
            : store.WriteAsync(book, 1, new OrderBookChanges(Header(1_000 + i), [Resting(2, 20, 20)], [1]))).ToList();
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[13]);

        for (var i = 0; i < books.Count; i++)
        {
            var stored = await store.ReadAsync(books[i]);
            Assert.NotNull(stored);
            if (i == 13)
            {
                Assert.Equal((1L, 1_000L, "1"), (stored.Version, stored.State.ReferencePriceFen, string.Join(",", stored.State.RestingOrders.Select(order => order.EngineOrderId))));
            }
            else
            {
                Assert.Equal(2, await writes[i]);
                Assert.Equal((2L, 1_000L + i, "2"), (stored.Version, stored.State.ReferencePriceFen, string.Join(",", stored.State.RestingOrders.Select(order => order.EngineOrderId))));
            }
        }
    }

    [Fact]
    public async Task A_book_write_stores_exactly_the_resting_orders_the_book_shows()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        await exchange.ListAndIssueAsync("stored-star", 1_000, 700);
        await exchange.FundAsync("fan-stored", 1_000_000);
        await exchange.LimitAsync("fan-stored", "stored-star", Side.Buy, 700, 300);   // fills part of the treasury's offer
        await exchange.LimitAsync("fan-stored", "stored-star", Side.Buy, 690, 40);
        var cancelled = await exchange.LimitAsync("fan-stored", "stored-star", Side.Buy, 680, 20);
        var cancel = await exchange.Wallet("fan-stored").CancelOrder(cancelled.Order!.OrderId);
        Assert.True(cancel.Succeeded, cancel.Error?.Message);

        var depth = await exchange.Book("stored-star").GetDepth(100);
        var stored = await exchange.SiloService<IOrderBookStore>().ReadAsync("stored-star");
        Assert.NotNull(stored);
        Assert.Equal(depth.Bids.Select(level => (level.PriceFen, level.Quantity)), Levels(stored.State.RestingOrders, Side.Buy));
        Assert.Equal(depth.Asks.Select(level => (level.PriceFen, level.Quantity)), Levels(stored.State.RestingOrders, Side.Sell));
        Assert.Equal([(690L, 40L)], Levels(stored.State.RestingOrders, Side.Buy));
        Assert.Equal([(700L, 700L)], Levels(stored.State.RestingOrders, Side.Sell));
    }

    [Fact]
    public async Task A_book_kept_whole_in_grain_storage_moves_into_the_store_on_its_first_write()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        var grainStorage = exchange.SiloService<IGrainStorage>(StorageNames.Exchange);
        var bookId = exchange.Book("legacy-star").GetGrainId();
        var legacy = new GrainState<OrderBookState>
        {
            State = new OrderBookState
            {
                IsOpen = true,
                ReferencePriceFen = 1_000,
                TradingDay = DateOnly.FromDateTime(exchange.Clock.GetUtcNow().UtcDateTime),
                NextEngineOrderId = 3,
                RestingOrders = [Resting(1, 10, 4, priceFen: 990), Resting(2, 20, 20, Side.Sell, priceFen: 1_010)],
            },
        };
        await grainStorage.WriteStateAsync("book", bookId, legacy);

        var depth = await exchange.Book("legacy-star").GetDepth(10);
        Assert.Equal([(990L, 4L)], depth.Bids.Select(level => (level.PriceFen, level.Quantity)));
        Assert.Equal([(1_010L, 20L)], depth.Asks.Select(level => (level.PriceFen, level.Quantity)));

        await exchange.Book("legacy-star").Halt("checking the move");
        var stored = await exchange.SiloService<IOrderBookStore>().ReadAsync("legacy-star");
        Assert.NotNull(stored);
        Assert.True(stored.State.OperatorHalt);
        Assert.Equal([1L, 2L], stored.State.RestingOrders.Select(order => order.EngineOrderId));

        var afterMove = new GrainState<OrderBookState> { State = new OrderBookState() };
        await grainStorage.ReadStateAsync("book", bookId, afterMove);
        Assert.False(afterMove.RecordExists, "the superseded grain-state row should have been cleared");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_write_journals_its_trades_with_it_a_refused_write_none_and_a_journalled_trade_stays_as_it_was(bool withoutDatabase)
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        var (store, journal) = StoreAndJournal(exchange, withoutDatabase);
        var version = await store.WriteAsync("journalled", 0, new OrderBookChanges(Header(1_000), [], [], Trades: [Trade(1, 1_000), Trade(2, 1_010)]));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            store.WriteAsync("journalled", 0, new OrderBookChanges(Header(1_000), [], [], Trades: [Trade(3, 990)])));
        await store.WriteAsync("journalled", version, new OrderBookChanges(Header(1_000), [], [], Trades: [Trade(2, 5), Trade(4, 1_020)]));

        var journalled = await journal.RecentAsync("journalled", 10);
        Assert.Equal([(4L, 1_020L), (2L, 1_010L), (1L, 1_000L)], journalled.Select(trade => (trade.Sequence, trade.PriceFen)));
        Assert.Equal(Trade(4, 1_020), journalled[0]);
    }

    [Fact]
    public async Task Trades_a_stored_outbox_holds_reach_the_journal_when_the_book_next_settles()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        // As an earlier version stored them: in the outbox, journalled only by settlement.
        var header = Header(1_000);
        header.TradingDay = DateOnly.FromDateTime(exchange.Clock.GetUtcNow().UtcDateTime);
        header.NextSequence = 2;
        header.Outbox = [new BookEvent(1, Trade(1, 1_000, "outbox-star"), null, null, 0)];
        await exchange.SiloService<IOrderBookStore>().WriteAsync("outbox-star", 0, new OrderBookChanges(header, [], []));

        // Settlement cannot finish (no wallet holds these orders), but the journal comes first.
        await exchange.Book("outbox-star").FlushSettlements();
        var journalled = await exchange.SiloService<ITradeJournal>().RecentAsync("outbox-star", 10);
        Assert.Equal(["outbox-star:1"], journalled.Select(trade => trade.TradeId));
    }

    /// <summary>The silo's PostgreSQL store, or the one a silo without a database uses (same contract).</summary>
    private static IOrderBookStore Store(ExchangeCluster exchange, bool withoutDatabase) => StoreAndJournal(exchange, withoutDatabase).Store;

    private static (IOrderBookStore Store, ITradeJournal Journal) StoreAndJournal(ExchangeCluster exchange, bool withoutDatabase)
    {
        if (!withoutDatabase)
        {
            return (exchange.SiloService<IOrderBookStore>(), exchange.SiloService<ITradeJournal>());
        }

        var journal = new InMemoryTradeJournal();
        return (new InMemoryOrderBookStore(exchange.SiloService<Serializer<OrderBookState>>(), journal), journal);
    }

    private static TradeRecord Trade(long sequence, long priceFen, string celebrityId = "journalled") =>
        new($"{celebrityId}:{sequence}", celebrityId, sequence, "fan-buyer", "fan-seller", $"fan-buyer:{sequence}", $"fan-seller:{sequence}",
            priceFen, 10, priceFen * 10, priceFen * 10 * 3 / 100, new DateTimeOffset(2026, 11, 26, 12, 0, (int)sequence, TimeSpan.Zero));

    private static OrderBookState Header(long referencePriceFen) => new() { IsOpen = true, ReferencePriceFen = referencePriceFen };

    private static RestingOrderState Resting(long engineOrderId, long original, long remaining, Side side = Side.Buy, long priceFen = 1_000) => new()
    {
        EngineOrderId = engineOrderId,
        OrderId = $"order-{engineOrderId}",
        OwnerId = "owner",
        Side = side,
        PriceFen = priceFen,
        OriginalQuantity = original,
        RemainingQuantity = remaining,
        Sequence = engineOrderId,
    };

    private static IEnumerable<(long PriceFen, long Quantity)> Levels(IEnumerable<RestingOrderState> orders, Side side) =>
        orders.Where(order => order.Side == side)
            .GroupBy(order => order.PriceFen)
            .OrderBy(level => side == Side.Buy ? -level.Key : level.Key)
            .Select(level => (level.Key, level.Sum(order => order.RemainingQuantity)));
}
