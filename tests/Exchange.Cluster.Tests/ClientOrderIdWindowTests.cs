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
        Assert.Equal(first.Order!.OrderId, (await exchange.LimitAsync("fan-reload", "reload-star", Side.Buy, 95, 1, clientOrderId: "first")).Order!.OrderId);

        for (var i = 0; i < Exchange.Grains.State.WalletState.ClosedOrdersKept + 5; i++)
        {
            await exchange.LimitAsync("fan-reload", "reload-star", Side.Buy, 95, 1, TimeInForce.ImmediateOrCancel, clientOrderId: $"filler-{i}");
        }

        await exchange.SettleAsync("reload-star");
        await exchange.DeactivateIdleGrainsAsync();
        var replayed = await exchange.LimitAsync("fan-reload", "reload-star", Side.Buy, 95, 1, clientOrderId: "first");
        Assert.False(replayed.Succeeded, "the order is no longer held, but its client order id is still within the window");
        Assert.Equal(Exchange.Abstractions.Contracts.ErrorCodes.DuplicateRequest, replayed.Error!.Code);
        Assert.Equal(Exchange.Abstractions.Contracts.ErrorCodes.DuplicateRequest,
            (await exchange.LimitAsync("fan-reload", "reload-star", Side.Buy, 95, 1, clientOrderId: "filler-3")).Error?.Code);
        Assert.True((await exchange.LimitAsync("fan-reload", "reload-star", Side.Buy, 95, 1, clientOrderId: "filler-100")).WasReplay);

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
