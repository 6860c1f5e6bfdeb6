using Exchange.Abstractions.Contracts;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;
using Exchange.Grains.State;
using Exchange.Grains.Storage;
using Orleans.Serialization;

namespace Exchange.Cluster.Tests;

/// <summary>
/// A wallet that crashed between sending an order and storing the book's answer sends it again. The book must take it
/// once: it recognises an order it took by the trace the order left (resting, or events its wallet has not applied),
/// and the wallet does not send again an order whose events already reached it.
/// </summary>
public class ResentOrderTests
{
    [Fact]
    public async Task A_resent_order_is_recognised_by_its_trace_after_the_book_restarts_and_one_never_taken_is_placed()
    {
        var first = await ExchangeCluster.StartAsync();
        await first.ListAndIssueAsync("resend-star", 100, 700);
        var resting = new BookOrder("fan-resend:1", "fan-resend", 1, Side.Buy, OrderType.Limit, TimeInForce.GoodTillCancel, 650, 5);
        // Nothing to trade with at 640: its cancellation waits in the outbox (no wallet holds this order to apply it).
        var unfilled = new BookOrder("fan-resend:2", "fan-resend", 2, Side.Buy, OrderType.Limit, TimeInForce.ImmediateOrCancel, 640, 5);
        Assert.False((await first.Book("resend-star").Submit(resting)).AlreadyProcessed);
        Assert.False((await first.Book("resend-star").Submit(unfilled)).AlreadyProcessed);
        await first.DisposeAsync();

        await using var second = await ExchangeCluster.StartAsync(silos: 1, first.ConnectionString, first.ServiceId);
        var book = second.Book("resend-star");
        Assert.True((await book.Submit(resting)).AlreadyProcessed);
        Assert.True((await book.Submit(unfilled)).AlreadyProcessed);
        var neverTaken = await book.Submit(resting with { OrderId = "fan-resend:3", OrderNumber = 3, LimitPriceFen = 660 });
        Assert.False(neverTaken.AlreadyProcessed);
        Assert.Null(neverTaken.Rejection);

        var depth = await book.GetDepth(10);
        Assert.Equal([(660L, 5L), (650L, 5L)], depth.Bids.Select(level => (level.PriceFen, level.Quantity)));
    }

    [Fact]
    public async Task An_order_whose_events_arrived_before_the_books_answer_is_not_sent_again()
    {
        await using var exchange = await ExchangeCluster.StartAsync();
        await exchange.ListAndIssueAsync("early-star", 100, 700);

        // As stored by a wallet that applied its order's fill (delivered by settlement) but lost the book's answer.
        var order = new WalletOrderState
        {
            OrderId = "fan-early:1", ClientOrderId = "c-1", CelebrityId = "early-star", OrderNumber = 1, Side = Side.Buy,
            Type = OrderType.Limit, TimeInForce = TimeInForce.GoodTillCancel, LimitPriceFen = 700, ReservationPriceFen = 700,
            Quantity = 5, FilledQuantity = 5, State = OrderState.Submitting, CreatedAt = exchange.Clock.GetUtcNow(),
        };
        var wallet = new WalletState
        {
            Registered = true, CashAvailable = 6_500, TotalDepositedFen = 10_000, LastOrderNumber = 1,
            OpenOrders = { [order.OrderId] = order },
            Holdings = { ["early-star"] = new HoldingState { Available = 5 } },
        };
        await exchange.SiloService<IVersionedStateStore>().WriteAsync("wallet", "fan-early", 0,
            exchange.SiloService<Serializer<WalletState>>().SerializeToArray(wallet));

        // Activation re-sends what is still waiting for an answer.
        var settled = await Eventually.ValueAsync(() => exchange.Wallet("fan-early").GetOrder("fan-early:1"), view => view?.State != OrderState.Submitting);
        Assert.Equal((OrderState.Filled, 5L), (settled!.State, settled.FilledQuantity));

        // The book never saw it again: the treasury's offer is untouched and nothing traded.
        var depth = await exchange.Book("early-star").GetDepth(10);
        Assert.Equal([(700L, 100L)], depth.Asks.Select(level => (level.PriceFen, level.Quantity)));
        Assert.Empty(depth.Bids);
        Assert.Empty(await exchange.SiloService<ITradeJournal>().RecentAsync("early-star", 10));
    }
}
