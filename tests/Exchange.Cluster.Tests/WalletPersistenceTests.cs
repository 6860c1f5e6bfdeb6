using Exchange.Abstractions.Contracts;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;
using Exchange.Grains.State;
using Exchange.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;

namespace Exchange.Cluster.Tests;

/// <summary>
/// A wallet write looks only at the items its state recorded as changed. Whatever the state goes through (orders
/// placed, filled, cancelled, rejected, closed and trimmed, client order ids forgotten, transfers, writes failing),
/// reading the wallet back from PostgreSQL gives what memory holds.
/// </summary>
public class WalletPersistenceTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_wallet_read_back_holds_what_memory_held_after_random_changes_and_failed_writes(int seed)
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        var random = new Random(seed);
        var store = new FailingStore(exchange.SiloService<IVersionedStateStore>());
        var serializer = exchange.SiloService<Serializer>();
        var accountId = $"tracked-{seed}";
        var persistence = new WalletPersistence(store, serializer, accountId, new NoLegacyRow<WalletState>(), NullLogger.Instance);
        var state = await persistence.ReadAsync(CancellationToken.None);
        state.CashAvailable = 1_000_000_000;
        state.Holding("celeb").Available = 1_000_000;
        var now = Start;
        for (var step = 0; step < 1000; step++)
        {
            now += TimeSpan.FromMinutes(5);
            for (var change = random.Next(1, 4); change > 0; change--)
            {
                Change(state, random, accountId, now, step);
            }

            store.FailNext = random.Next(5) == 0;
            try
            {
                await persistence.WriteAsync(state);
                Assert.False(store.FailNext, "the write was meant to fail");
            }
            catch (IOException) when (store.FailNext)
            {
                // Memory keeps the changes; the next write must still store them.
            }
        }

        // A burst of orders closed within minutes, in no particular order, pushes orders out of the closed list while
        // their client order ids are still remembered: those ids need rows of their own.
        var burst = new List<WalletOrderState>();
        for (var placed = 0; placed < WalletState.ClosedOrdersKept + 20; placed++)
        {
            now += TimeSpan.FromSeconds(10);
            var order = NewOrder(accountId, state.LastOrderNumber + 1, Side.Buy, now);
            state.LastOrderNumber = order.OrderNumber;
            state.Reserve(order);
            state.RecordPlacement(order, []);
            burst.Add(order);
        }

        foreach (var (order, index) in burst.OrderBy(_ => random.Next()).Select((order, index) => (order, index)))
        {
            state.ApplyCancellation(order, order.OutstandingQuantity);
            if (index % 7 == 0)
            {
                store.FailNext = index % 3 == 0;
                try
                {
                    await persistence.WriteAsync(state);
                }
                catch (IOException) when (store.FailNext)
                {
                }
            }
        }

        store.FailNext = false;
        await persistence.WriteAsync(state);
        Assert.True(state.OrdersClosed > WalletState.ClosedOrdersKept, $"only {state.OrdersClosed} orders closed: too few to trim the oldest");

        var readBack = await new WalletPersistence(store, serializer, accountId, new NoLegacyRow<WalletState>(), NullLogger.Instance).ReadAsync(CancellationToken.None);
        Assert.Equal(Describe(state, HeldOrdersRememberTheirClientOrderIds(state)), Describe(readBack, readBack.ClientOrders));

        // Only client order ids whose orders are no longer held are rows of their own.
        var stored = await exchange.SiloService<IVersionedStateStore>().ReadAsync("wallet", accountId);
        var held = state.OpenOrders.Values.Concat(state.ClosedOrders).Select(order => order.OrderId).ToHashSet();
        var clientItems = stored!.Items.Where(item => item.Name.StartsWith("client:", StringComparison.Ordinal)).Select(item => item.Name["client:".Length..]).Order().ToList();
        Assert.Equal(state.ClientOrders.Where(pair => !held.Contains(pair.Value.OrderId)).Select(pair => pair.Key).Order().ToList(), clientItems);
        Assert.NotEmpty(clientItems);
    }

    /// <summary>
    /// What a wallet read back remembers: what memory remembered, and the client order ids of the orders it holds
    /// (open, or among the closed orders kept) even where memory had forgotten them; the next placement forgets those
    /// again. Written out here rather than taken from <see cref="WalletState"/>, so a mistake there shows.
    /// </summary>
    private static Dictionary<string, RememberedClientOrder> HeldOrdersRememberTheirClientOrderIds(WalletState state)
    {
        var expected = new Dictionary<string, RememberedClientOrder>(state.ClientOrders, StringComparer.Ordinal);
        foreach (var order in state.OpenOrders.Values.Concat(state.ClosedOrders).OrderByDescending(order => order.OrderNumber))
        {
            expected.TryAdd(order.ClientOrderId, new RememberedClientOrder(order.OrderId, order.CreatedAt));
        }

        return expected;
    }

    [Fact]
    public async Task A_write_stores_only_the_positions_that_changed_and_the_row_holds_none()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        var store = new RecordingStateStore(exchange.SiloService<IVersionedStateStore>());
        var serializer = exchange.SiloService<Serializer>();
        var persistence = new WalletPersistence(store, serializer, "treasury-like", new NoLegacyRow<WalletState>(), NullLogger.Instance, verifyChangeTracking: true);
        var state = await persistence.ReadAsync(CancellationToken.None);
        for (var celebrity = 0; celebrity < 50; celebrity++)
        {
            state.Holding($"star-{celebrity}").Available = 1_000;
        }

        await persistence.WriteAsync(state);
        Assert.Equal(50, store.LastUpserts.Count(name => name.StartsWith("position:", StringComparison.Ordinal)));

        // A fill of one celebrity's offer: its seconds and the book event applied.
        state.Holding("star-7").Available -= 10;
        state.RecordAppliedEvents("star-7", 3);
        state.CashAvailable += 7_000;
        await persistence.WriteAsync(state);
        Assert.Equal(["position:star-7"], store.LastUpserts);

        // Positions are compared only where the state recorded a touch, so a change behind its back is caught by
        // verification instead of found by comparing all fifty.
        state.Holdings["star-9"].Available += 1;
        var missed = await Assert.ThrowsAsync<InvalidOperationException>(() => persistence.WriteAsync(state));
        Assert.Contains("position:star-9", missed.Message);
        state.Holding("star-9");
        await persistence.WriteAsync(state);
        Assert.Equal(["position:star-9"], store.LastUpserts);

        var stored = await exchange.SiloService<IVersionedStateStore>().ReadAsync("wallet", "treasury-like");
        var row = serializer.Deserialize<WalletState>(stored!.Payload)!;
        Assert.Equal((0, 0, 7_000L), (row.Holdings.Count, row.AppliedEventSequence.Count, row.CashAvailable));
        var readBack = await new WalletPersistence(store, serializer, "treasury-like", new NoLegacyRow<WalletState>(), NullLogger.Instance).ReadAsync(CancellationToken.None);
        Assert.Equal(Describe(state, state.ClientOrders), Describe(readBack, readBack.ClientOrders));
    }

    [Fact]
    public async Task With_verification_on_a_change_the_state_did_not_record_fails_the_write()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        var store = exchange.SiloService<IVersionedStateStore>();
        var persistence = new WalletPersistence(store, exchange.SiloService<Serializer>(), "unrecorded", new NoLegacyRow<WalletState>(), NullLogger.Instance, verifyChangeTracking: true);
        var state = await persistence.ReadAsync(CancellationToken.None);
        state.CashAvailable = 1_000;
        var order = NewOrder("unrecorded", 1, Side.Buy, Start);
        state.Reserve(order);
        state.RecordPlacement(order, []);
        await persistence.WriteAsync(state);

        order.FilledQuantity = 1;   // behind WalletState's back: nothing records it
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => persistence.WriteAsync(state));
        Assert.Contains("order:unrecorded:1", failure.Message);

        // Not a one-off: the unrecorded change keeps failing writes until a write compares every item.
        await Assert.ThrowsAsync<InvalidOperationException>(() => persistence.WriteAsync(state));
    }

    private static void Change(WalletState state, Random random, string accountId, DateTimeOffset now, int step)
    {
        var open = state.OpenOrders.Values.ToList();
        switch (random.Next(7))
        {
            case 0 or 1:
                var order = NewOrder(accountId, state.LastOrderNumber + 1, random.Next(2) == 0 ? Side.Buy : Side.Sell, now);
                state.LastOrderNumber = order.OrderNumber;
                state.Reserve(order);
                if (random.Next(8) == 0)
                {
                    state.Reject(order);
                }
                else
                {
                    state.RecordPlacement(order, random.Next(3) == 0 ? [new ExecutedFill($"t{step}", 10, 0)] : []);
                }

                break;
            case 2 when open.Count > 0:
                var filled = open[random.Next(open.Count)];
                var trade = new TradeRecord($"trade-{step}-{filled.OrderId}", "celeb", step, accountId, accountId, filled.OrderId, filled.OrderId,
                    10, random.NextInt64(1, filled.OutstandingQuantity + 1), 0, 0, now);
                trade = trade with { NotionalFen = trade.Quantity * 10 };
                if (filled.Side == Side.Buy)
                {
                    state.ApplyBuy(filled, trade);
                }
                else
                {
                    state.ApplySell(filled, trade);
                }

                break;
            case 3 when open.Count > 0:
                var cancelled = open[random.Next(open.Count)];
                state.ApplyCancellation(cancelled, random.Next(2) == 0 ? cancelled.OutstandingQuantity : random.NextInt64(1, cancelled.OutstandingQuantity + 1));
                break;
            case 4:
                state.RecordProcessedTransfer($"deposit-{random.Next(50)}");
                break;
            case 5:
                // Other celebrities' holdings and book events (positions), as trades and issuances change them.
                state.Holding($"other-{random.Next(8)}").Available += random.Next(1, 100);
                state.RecordAppliedEvents($"other-{random.Next(10)}", step + 1);
                break;
            default:
                state.ForgetClientOrderIds(now - TimeSpan.FromHours(random.Next(1, 10)));
                break;
        }
    }

    private static WalletOrderState NewOrder(string accountId, long number, Side side, DateTimeOffset now) => new()
    {
        OrderId = $"{accountId}:{number}",
        ClientOrderId = $"client-{number}",
        CelebrityId = "celeb",
        OrderNumber = number,
        Side = side,
        Type = OrderType.Limit,
        TimeInForce = TimeInForce.GoodTillCancel,
        LimitPriceFen = 10,
        ReservationPriceFen = side == Side.Buy ? 10 : 0,
        Quantity = 5,
        State = OrderState.Submitting,
        CreatedAt = now,
    };

    private static string Describe(WalletState state, IReadOnlyDictionary<string, RememberedClientOrder> clientOrders) => string.Join("\n",
        $"cash {state.CashAvailable}/{state.CashReserved}, closed {state.OrdersClosed}",
        "open: " + string.Join(" ", state.OpenOrders.OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => $"{pair.Key}={pair.Value.State}/{pair.Value.FilledQuantity}/{pair.Value.CancelledQuantity}/{pair.Value.InitialFills.Count}")),
        "closed: " + string.Join(" ", state.ClosedOrders.Select(order => $"{order.OrderId}@{order.ClosedPosition}={order.State}/{order.FilledQuantity}/{order.CancelledQuantity}")),
        "client: " + string.Join(" ", clientOrders.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value.OrderId}@{pair.Value.PlacedAt:O}")),
        "transfers: " + string.Join(" ", state.ProcessedTransfers.Order(StringComparer.Ordinal)),
        "holdings: " + string.Join(" ", state.Holdings.OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => $"{pair.Key}={pair.Value.Available}/{pair.Value.Reserved}/{pair.Value.HeldForBookings}")),
        "applied: " + string.Join(" ", state.AppliedEventSequence.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}")));

    /// <summary>PostgreSQL, except that a write can be made to fail before it reaches the database.</summary>
    private sealed class FailingStore(IVersionedStateStore inner) : IVersionedStateStore
    {
        public bool FailNext { get; set; }

        public Task<StoredState?> ReadAsync(string kind, string key, CancellationToken cancellationToken = default) => inner.ReadAsync(kind, key, cancellationToken);

        public Task<long> WriteAsync(string kind, string key, long expectedVersion, byte[] payload, StateItemChanges? items = null) =>
            FailNext ? Task.FromException<long>(new IOException("connection lost")) : inner.WriteAsync(kind, key, expectedVersion, payload, items);
    }
}
