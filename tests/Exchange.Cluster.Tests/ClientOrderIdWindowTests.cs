using Exchange.Abstractions.Contracts;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;

namespace Exchange.Cluster.Tests;

/// <summary>A wallet remembers client order ids for a day, so its state stops growing with every order ever placed.</summary>
public class ClientOrderIdWindowTests
{
    [Fact]
    public async Task A_closed_orders_client_id_is_honoured_for_the_window_then_places_a_new_order_while_an_open_orders_id_is_kept()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        await exchange.ListAndIssueAsync("window-star", 1_000, 100);
        await exchange.FundAsync("fan-window", 1_000_000);
        var wallet = exchange.Wallet("fan-window");

        var closed = await exchange.LimitAsync("fan-window", "window-star", Side.Buy, 95, 10, clientOrderId: "closes");
        Assert.True((await wallet.CancelOrder(closed.Order!.OrderId)).Succeeded);
        var open = await exchange.LimitAsync("fan-window", "window-star", Side.Buy, 95, 10, clientOrderId: "stays-open");
        await exchange.SettleAsync("window-star");

        exchange.Clock.Advance(TimeSpan.FromHours(23));
        var withinWindow = await exchange.LimitAsync("fan-window", "window-star", Side.Buy, 95, 10, clientOrderId: "closes");
        Assert.True(withinWindow.WasReplay);
        Assert.Equal(closed.Order.OrderId, withinWindow.Order!.OrderId);

        exchange.Clock.Advance(TimeSpan.FromHours(2));
        var afterWindow = await exchange.LimitAsync("fan-window", "window-star", Side.Buy, 95, 10, clientOrderId: "closes");
        var openReplay = await exchange.LimitAsync("fan-window", "window-star", Side.Buy, 95, 10, clientOrderId: "stays-open");

        Assert.True(afterWindow.Succeeded, afterWindow.Error?.Message);
        Assert.False(afterWindow.WasReplay);
        Assert.NotEqual(closed.Order.OrderId, afterWindow.Order!.OrderId);
        Assert.True(openReplay.WasReplay);
        Assert.Equal(open.Order!.OrderId, openReplay.Order!.OrderId);
        Assert.Equal(2, (await wallet.GetSnapshot()).OpenOrders.Count);
        await exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_client_order_id_reused_for_a_different_order_is_refused_and_changes_nothing_while_an_exact_retry_is_answered()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        await exchange.ListAndIssueAsync("reuse-star", 1_000, 100);
        await exchange.FundAsync("fan-reuse", 1_000_000);
        var wallet = exchange.Wallet("fan-reuse");
        var placed = await exchange.LimitAsync("fan-reuse", "reuse-star", Side.Buy, 95, 10, clientOrderId: "mine");
        var market = await wallet.PlaceOrder(new PlaceOrderCommand("sweep", "reuse-star", Side.Buy, OrderType.Market, TimeInForce.GoodTillCancel, 0, 3));
        Assert.True(market.Succeeded, market.Error?.Message);
        await exchange.SettleAsync("reuse-star");
        var before = await wallet.GetSnapshot();

        PlaceOrderCommand Mine(long price = 95, long quantity = 10, Side side = Side.Buy, TimeInForce tif = TimeInForce.GoodTillCancel, string celebrity = "reuse-star") =>
            new("mine", celebrity, side, OrderType.Limit, tif, price, quantity);
        foreach (var different in new[] { Mine(quantity: 20), Mine(price: 96), Mine(side: Side.Sell), Mine(tif: TimeInForce.ImmediateOrCancel), Mine(celebrity: "other-star") })
        {
            var refused = await wallet.PlaceOrder(different);
            Assert.Equal(ErrorCodes.DuplicateRequest, refused.Error?.Code);
            Assert.Contains(placed.Order!.OrderId, refused.Error!.Message);
        }

        var retried = await wallet.PlaceOrder(Mine());
        Assert.True(retried.WasReplay);
        Assert.Equal(placed.Order!.OrderId, retried.Order!.OrderId);
        // A market order's good-till-cancel was taken as immediate-or-cancel; asking the same way again is the same order.
        var marketRetried = await wallet.PlaceOrder(new PlaceOrderCommand("sweep", "reuse-star", Side.Buy, OrderType.Market, TimeInForce.GoodTillCancel, 0, 3));
        Assert.True(marketRetried.WasReplay);
        Assert.Equal(market.Order!.OrderId, marketRetried.Order!.OrderId);

        var after = await wallet.GetSnapshot();
        Assert.Equal((before.CashAvailableFen, before.CashReservedFen), (after.CashAvailableFen, after.CashReservedFen));
        Assert.Equal(before.OpenOrders.Select(o => o.OrderId), after.OpenOrders.Select(o => o.OrderId));
        await exchange.AssertAuditPassesAsync();
    }
}

public class ClientOrderIdsAcrossReloadsTests
{
    [Fact]
    public async Task A_wallet_read_back_from_storage_honours_client_ids_for_the_window_including_those_of_orders_pushed_out_of_its_closed_list()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        await exchange.ListAndIssueAsync("reload-star", 1_000, 100);
        await exchange.FundAsync("fan-reload", 1_000_000);
        var wallet = exchange.Wallet("fan-reload");

        // The first order's id is carried by its closed order, then (once enough orders close after it) by a row of its own.
        var first = await exchange.LimitAsync("fan-reload", "reload-star", Side.Buy, 95, 1, TimeInForce.ImmediateOrCancel, clientOrderId: "first");
        var open = await exchange.LimitAsync("fan-reload", "reload-star", Side.Buy, 95, 1, clientOrderId: "open");
        await exchange.SettleAsync("reload-star");
        await exchange.DeactivateIdleGrainsAsync();
        Assert.Equal(first.Order!.OrderId, (await exchange.LimitAsync("fan-reload", "reload-star", Side.Buy, 95, 1, TimeInForce.ImmediateOrCancel, clientOrderId: "first")).Order!.OrderId);

        for (var i = 0; i < Exchange.Grains.State.WalletState.ClosedOrdersKept + 5; i++)
        {
            await exchange.LimitAsync("fan-reload", "reload-star", Side.Buy, 95, 1, TimeInForce.ImmediateOrCancel, clientOrderId: $"filler-{i}");
        }

        await exchange.SettleAsync("reload-star");
        await exchange.DeactivateIdleGrainsAsync();
        var replayed = await exchange.LimitAsync("fan-reload", "reload-star", Side.Buy, 95, 1, TimeInForce.ImmediateOrCancel, clientOrderId: "first");
        Assert.False(replayed.Succeeded, "the order is no longer held, but its client order id is still within the window");
        Assert.Equal(ErrorCodes.DuplicateRequest, replayed.Error!.Code);
        Assert.Equal(ErrorCodes.DuplicateRequest,
            (await exchange.LimitAsync("fan-reload", "reload-star", Side.Buy, 95, 1, TimeInForce.ImmediateOrCancel, clientOrderId: "filler-3")).Error?.Code);
        Assert.True((await exchange.LimitAsync("fan-reload", "reload-star", Side.Buy, 95, 1, TimeInForce.ImmediateOrCancel, clientOrderId: "filler-100")).WasReplay);

        exchange.Clock.Advance(TimeSpan.FromHours(25));
        await exchange.DeactivateIdleGrainsAsync();
        foreach (var expired in new[] { "filler-3", "filler-100" })
        {
            var reused = await exchange.LimitAsync("fan-reload", "reload-star", Side.Buy, 95, 1, TimeInForce.ImmediateOrCancel, clientOrderId: expired);
            Assert.True(reused.Succeeded, reused.Error?.Message);
            Assert.False(reused.WasReplay);
        }

        Assert.True((await exchange.LimitAsync("fan-reload", "reload-star", Side.Buy, 95, 1, clientOrderId: "open")).WasReplay);
        Assert.True((await wallet.GetOrder(open.Order!.OrderId))!.State is Exchange.Abstractions.Contracts.OrderState.Open);
        await exchange.AssertAuditPassesAsync();
    }
}

public class ClientOrderIdMigrationTests
{
    [Fact]
    public void Client_order_ids_stored_before_the_window_existed_are_kept_dated_from_the_migration()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var state = new Exchange.Grains.State.WalletState();
        state.OrderIdByClientOrderId["old-1"] = "fan:1";
        state.ClientOrders["new-2"] = new Exchange.Grains.State.RememberedClientOrder("fan:2", now.AddHours(-30));

        state.MigrateClientOrderIds(now);
        state.ForgetClientOrderIds(now.AddHours(-24));

        Assert.Empty(state.OrderIdByClientOrderId);
        Assert.Equal(new Exchange.Grains.State.RememberedClientOrder("fan:1", now), Assert.Single(state.ClientOrders).Value);
    }
}
