using Exchange.Abstractions.Contracts;
using Exchange.Domain.Orders;
using Exchange.Grains.State;

namespace Exchange.Cluster.Tests;

/// <summary>
/// A buy's reservation follows its price changes one book event at a time: lowered only as far as the book may still
/// trade the order, so that no fill still to come costs more per second than the reservation releases.
/// </summary>
public class RepriceReservationTests
{
    private const long Placed = 95;
    private const long Quantity = 10;

    [Fact]
    public void A_lower_price_settling_ahead_of_a_higher_one_sent_later_keeps_the_reservation_at_the_later_price()
    {
        var (wallet, order) = RestingBuy(cash: 0);

        Changed(wallet, order, 90);
        Changed(wallet, order, 93);
        wallet.ApplyReprice(order, 90);

        // The book may already trade at 93: a fill there releases 93 per second from this reservation, not 90.
        Assert.Equal((93L, 20L, 930L), (order.ReservationPriceFen, wallet.CashAvailable, wallet.CashReserved));
        wallet.ApplyReprice(order, 93);
        wallet.ApplyBuy(order, Fill(order, 93, Quantity));
        Assert.Equal((20L, 0L, OrderState.Filled), (wallet.CashAvailable, wallet.CashReserved, order.State));
    }

    [Fact]
    public void A_lower_price_gives_the_difference_back_only_when_its_event_is_applied()
    {
        var (wallet, order) = RestingBuy(cash: 0);

        Changed(wallet, order, 91);
        Assert.Equal((0L, 950L), (wallet.CashAvailable, wallet.CashReserved));
        wallet.ApplyBuy(order, Fill(order, Placed, 4));
        wallet.ApplyReprice(order, 91);

        Assert.Equal((91L, 24L, 6 * 91L), (order.ReservationPriceFen, wallet.CashAvailable, wallet.CashReserved));
        Assert.Empty(order.UnsettledRepricesFen);
    }

    [Fact]
    public void A_refused_raise_gives_back_what_it_reserved_and_one_whose_answer_was_lost_keeps_it_until_its_event()
    {
        var (wallet, order) = RestingBuy(cash: 100);

        wallet.RecordRepriceRequest(order, 100);
        Assert.Equal((50L, 1_000L), (wallet.CashAvailable, wallet.CashReserved));
        wallet.ForgetRepriceRequest(order, 100);
        Assert.Equal((100L, 950L, Placed), (wallet.CashAvailable, wallet.CashReserved, order.ReservationPriceFen));

        wallet.RecordRepriceRequest(order, 97);
        Changed(wallet, order, 92);
        Assert.Equal(97, order.ReservationPriceFen);
        wallet.ApplyReprice(order, 97);
        Assert.Equal(97, order.ReservationPriceFen);
        wallet.ApplyReprice(order, 92);
        Assert.Equal((92L, 100L + 950 - 920), (order.ReservationPriceFen, wallet.CashAvailable));
    }

    [Fact]
    public void A_price_the_book_already_had_expects_no_event()
    {
        var (wallet, order) = RestingBuy(cash: 0);

        wallet.RecordRepriceRequest(order, Placed);
        wallet.ForgetRepriceRequest(order, Placed);
        Changed(wallet, order, 90);
        wallet.ApplyReprice(order, 90);

        Assert.Equal((90L, 50L), (order.ReservationPriceFen, wallet.CashAvailable));
    }

    [Fact]
    public void An_order_placed_by_a_build_that_did_not_track_its_settled_price_keeps_its_reservation()
    {
        var (wallet, order) = RestingBuy(cash: 0);
        order.SettledLimitFen = 0;

        Changed(wallet, order, 90);
        wallet.ApplyReprice(order, 90);

        Assert.Equal((Placed, 0L, 950L), (order.ReservationPriceFen, wallet.CashAvailable, wallet.CashReserved));
    }

    /// <summary>
    /// Random price changes against a book that takes, refuses, already has or never answers them, and fills at or below
    /// its price, with its events reaching the wallet later, in order. The fan spends every fen available whenever no
    /// change is in flight. The reservation must always cover what the book may still trade at, cash never go negative,
    /// and once everything settles every fen is accounted for.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Random_price_changes_fills_and_late_events_never_leave_a_fill_costing_more_than_its_reservation(int seed)
    {
        const long Cash = 100_000;
        var random = new Random(seed);
        const long Seconds = 200;
        var (wallet, order) = RestingBuy(cash: Cash - Placed * Seconds, Seconds);
        var events = new Queue<(long RepricedTo, TradeRecord? Fill)>();
        var (bookPrice, bookRemaining) = (Placed, Seconds);
        long spent = 0, paidForFills = 0;
        (long Price, bool Answered, bool Changed, bool AlreadyHad)? inFlight = null;

        void Deliver()
        {
            var (repricedTo, fill) = events.Dequeue();
            if (fill is not null)
            {
                wallet.ApplyBuy(order, fill);
                paidForFills += fill.NotionalFen;
            }
            else
            {
                wallet.ApplyReprice(order, repricedTo);
            }
        }

        for (var step = 0; step < 400; step++)
        {
            switch (random.Next(5))
            {
                case 0 when inFlight is null && bookRemaining > 0:
                    var price = random.Next(80, 121);
                    if (WalletState.CashToReprice(order, price) > wallet.CashAvailable)
                    {
                        break;
                    }

                    wallet.RecordRepriceRequest(order, price);

                    // 0-6 answered, 7 refused (outside the band, say), 8 answer lost after the book got it, 9 lost before.
                    var outcome = random.Next(10);
                    var reachesBook = outcome is not (7 or 9);
                    var changes = reachesBook && price != bookPrice;
                    if (changes)
                    {
                        bookPrice = price;
                        events.Enqueue((price, null));
                    }

                    inFlight = (price, Answered: outcome < 8, Changed: changes, AlreadyHad: reachesBook && !changes);
                    break;
                case 1 when inFlight is { } asked:
                    // As RepriceOrder takes the book's answer: only for an order still open.
                    if (asked.Answered && order.OutstandingQuantity > 0)
                    {
                        if (asked.Changed || asked.AlreadyHad)
                        {
                            wallet.SetLimitPrice(order, asked.Price);
                        }

                        if (!asked.Changed)
                        {
                            wallet.ForgetRepriceRequest(order, asked.Price);
                        }
                    }

                    inFlight = null;
                    break;
                case 2 when bookRemaining > 0:
                    var quantity = Math.Min(bookRemaining, random.Next(1, 4));
                    var at = bookPrice - random.Next(0, 6);
                    bookRemaining -= quantity;
                    events.Enqueue((0, Fill(order, at, quantity) with { TradeId = $"t{step}" }));
                    break;
                case 3 when events.Count > 0:
                    Deliver();
                    break;
                case 4 when inFlight is null:
                    spent += wallet.CashAvailable;
                    wallet.CashAvailable = 0;
                    break;
            }

            var stillToPay = events.Select(e => e.Fill?.PriceFen ?? 0).DefaultIfEmpty(0).Max();
            var mayTradeAt = Math.Max(stillToPay, bookRemaining > 0 ? bookPrice : 0);
            Assert.True(wallet.CashAvailable >= 0, $"step {step}: {wallet.CashAvailable} fen available");
            Assert.True(order.OutstandingQuantity == 0 || order.ReservationPriceFen >= mayTradeAt,
                $"step {step}: reserved at {order.ReservationPriceFen}, but the book may still trade at {mayTradeAt}");
            Assert.Equal(order.ReservationPriceFen * order.OutstandingQuantity, wallet.CashReserved);
        }

        while (events.Count > 0)
        {
            Deliver();
        }

        if (order.OutstandingQuantity > 0)
        {
            wallet.ApplyCancellation(order, order.OutstandingQuantity);
        }

        Assert.Equal((0L, Cash), (wallet.CashReserved, wallet.CashAvailable + spent + paidForFills));
    }

    /// <summary>A price change the book answered: the wallet shows the new price and awaits its event.</summary>
    private static void Changed(WalletState wallet, WalletOrderState order, long priceFen)
    {
        Assert.Equal(0, WalletState.CashToReprice(order, priceFen));
        wallet.RecordRepriceRequest(order, priceFen);
        wallet.SetLimitPrice(order, priceFen);
    }

    private static (WalletState Wallet, WalletOrderState Order) RestingBuy(long cash, long quantity = Quantity)
    {
        var order = new WalletOrderState
        {
            OrderId = "fan:1",
            ClientOrderId = "c1",
            CelebrityId = "star",
            OrderNumber = 1,
            Side = Side.Buy,
            Type = OrderType.Limit,
            TimeInForce = TimeInForce.GoodTillCancel,
            LimitPriceFen = Placed,
            ReservationPriceFen = Placed,
            SettledLimitFen = Placed,
            Quantity = quantity,
            State = OrderState.Open,
        };
        var wallet = new WalletState { CashAvailable = cash, CashReserved = Placed * quantity };
        wallet.OpenOrders[order.OrderId] = order;
        return (wallet, order);
    }

    private static TradeRecord Fill(WalletOrderState order, long priceFen, long quantity) =>
        new($"t-{priceFen}-{quantity}", order.CelebrityId, 1, "fan", "seller", order.OrderId, "seller:1", priceFen, quantity, priceFen * quantity,
            0, DateTimeOffset.UnixEpoch);
}
