using CsCheck;
using Exchange.Domain.Matching;
using Exchange.Domain.Orders;
using Exchange.Domain.Protection;
using Exchange.Domain.Units;

namespace Exchange.Domain.Tests;

public class AuctionExamples
{
    private readonly MatchingEngine _engine = new(trackChanges: true);
    private readonly OrderFactory _orders = new();

    private static readonly PriceBand Wide = new(new Price(1), new Price(1_000));

    private static DepthLevel Level(long price, long quantity) => new(new Price(price), new Seconds(quantity), 1);

    [Fact]
    public void The_auction_price_trades_the_most_seconds()
    {
        // At 100: demand 30 (110 + 100), supply 25 (90 + 100) -> 25. At 90: 30 and 10 -> 10. At 110: 10 and 25 -> 10.
        var auction = AuctionPrice.Find([Level(110, 10), Level(100, 20)], [Level(90, 10), Level(100, 15)], new Price(50), Wide);

        Assert.Equal(new AuctionPrice(new Price(100), new Seconds(25), 5), auction);
    }

    [Fact]
    public void Between_equal_volumes_the_least_left_over_wins()
    {
        // 20 s trade at 100, 101 and 102; only at 100 is nothing left over (at 101 and 102 sellers offer 30).
        var auction = AuctionPrice.Find([Level(102, 20)], [Level(100, 20), Level(101, 10)], new Price(102), Wide);

        Assert.Equal(new Price(100), auction!.Value.Price);
        Assert.Equal(0, auction.Value.Surplus);
    }

    [Theory]
    [InlineData(30, 20, 105)] // buyers left over push the price up to the highest candidate
    [InlineData(20, 30, 100)] // sellers left over keep it at the lowest
    public void Between_equal_volumes_and_surpluses_the_heavier_side_pushes_the_price(long bought, long sold, long expected)
    {
        var auction = AuctionPrice.Find([Level(105, bought)], [Level(100, sold)], new Price(103), Wide);

        Assert.Equal(new Price(expected), auction!.Value.Price);
    }

    [Theory]
    [InlineData(101, 100)]
    [InlineData(104, 105)]
    [InlineData(80, 100)]
    public void A_balanced_cross_trades_at_the_candidate_nearest_the_reference(long reference, long expected)
    {
        var auction = AuctionPrice.Find([Level(105, 20)], [Level(100, 20)], new Price(reference), Wide);

        Assert.Equal(new Price(expected), auction!.Value.Price);
    }

    [Fact]
    public void An_uncrossed_book_has_no_auction_price()
    {
        Assert.Null(AuctionPrice.Find([Level(99, 20)], [Level(100, 20)], new Price(100), Wide));
        Assert.Null(AuctionPrice.Find([], [Level(100, 20)], new Price(100), Wide));
    }

    [Fact]
    public void The_auction_price_stays_inside_the_band_and_nothing_trades_that_crosses_only_outside_it()
    {
        var band = new PriceBand(new Price(90), new Price(110));

        // At 112 (outside) 20 s would trade; inside, the band's edge trades the 10 s that accept 110.
        var atEdge = AuctionPrice.Find([Level(115, 20)], [Level(105, 10), Level(112, 10)], new Price(100), band);
        var outside = AuctionPrice.Find([Level(115, 20)], [Level(112, 10)], new Price(100), band);

        Assert.Equal(new AuctionPrice(new Price(110), new Seconds(10), 10), atEdge);
        Assert.Null(outside);
    }

    [Fact]
    public void Queued_orders_wait_crossed_and_the_auction_trades_them_all_at_one_price_in_priority_order()
    {
        var firstBuy = Queue(_orders.Limit("ann", Side.Buy, 110, 10));
        var laterBuy = Queue(_orders.Limit("bob", Side.Buy, 110, 10));
        var sell = Queue(_orders.Limit("cid", Side.Sell, 95, 15));
        Queue(_orders.Limit("dan", Side.Sell, 112, 5));

        Assert.True(_engine.IsCrossed);
        Assert.Equal(new AuctionPrice(new Price(110), new Seconds(15), 5), _engine.IndicativeAuction(new Price(100), Wide));

        var report = new ExecutionReport();
        var price = _engine.Uncross(new Price(100), Wide, report);

        Assert.Equal(new Price(110), price);
        Assert.False(_engine.IsCrossed);
        Assert.Equal(new Seconds(15), report.FilledQuantity);
        Assert.All(report.Fills, fill => Assert.Equal(new Price(110), fill.Price));
        Assert.Equal([(firstBuy.OrderId, 10L), (laterBuy.OrderId, 5L)], report.Fills.Select(fill => (fill.BuyOrderId, fill.Quantity.Value)));
        Assert.All(report.Fills, fill => Assert.Equal(sell.OrderId, fill.SellOrderId));
        Assert.Equal(new Seconds(5), _engine.Find(laterBuy.OrderId)!.RemainingQuantity);
        Assert.Null(_engine.Find(sell.OrderId));
        Assert.Equal(new Price(112), _engine.BestAsk);
    }

    [Fact]
    public void The_later_order_of_each_auction_pair_is_the_taker()
    {
        var sell = Queue(_orders.Limit("ann", Side.Sell, 100, 5));
        var buy = Queue(_orders.Limit("bob", Side.Buy, 100, 5));

        var report = new ExecutionReport();
        _engine.Uncross(new Price(100), Wide, report);

        var fill = Assert.Single(report.Fills);
        Assert.Equal((sell.OrderId, buy.OrderId, Side.Buy), (fill.MakerOrderId, fill.TakerOrderId, fill.TakerSide));
    }

    [Fact]
    public void An_owner_never_trades_with_itself_in_an_auction_the_older_order_is_cancelled()
    {
        var ownOlderSell = Queue(_orders.Limit("ann", Side.Sell, 98, 10));
        var ownBuy = Queue(_orders.Limit("ann", Side.Buy, 105, 10));
        var otherSell = Queue(_orders.Limit("bob", Side.Sell, 100, 4));

        var report = new ExecutionReport();
        _engine.Uncross(new Price(100), Wide, report);

        var cancelled = Assert.Single(report.SelfTradeCancellations);
        Assert.Equal((ownOlderSell.OrderId, 10L), (cancelled.OrderId, cancelled.CancelledQuantity.Value));
        var fill = Assert.Single(report.Fills);
        Assert.Equal((ownBuy.OrderId, otherSell.OrderId, 4L), (fill.BuyOrderId, fill.SellOrderId, fill.Quantity.Value));
        Assert.All(report.Fills, f => Assert.NotEqual(f.Buyer, f.Seller));
        Assert.False(_engine.IsCrossed);
    }

    [Fact]
    public void Only_limit_orders_that_rest_can_wait_for_an_auction()
    {
        Assert.Throws<ArgumentException>(() => Queue(_orders.Limit("ann", Side.Buy, 100, 1, TimeInForce.ImmediateOrCancel)));
        Assert.Throws<ArgumentException>(() => Queue(_orders.Market("ann", Side.Buy, 1)));
        Assert.Equal(0, _engine.RestingOrderCount);
    }

    [Fact]
    public void Any_queued_book_uncrosses_within_every_limit_keeping_every_second()
    {
        var orders = Gen.Select(Gen.OneOfConst("ann", "bob", "cid", "dan"), Gen.Bool, Gen.Long[90, 110], Gen.Long[1, 30]).Array[1, 60];
        orders.Sample(generated =>
        {
            var engine = new MatchingEngine();
            var factory = new OrderFactory();
            var queued = new Dictionary<long, NewOrder>();
            foreach (var (owner, buy, price, quantity) in generated)
            {
                var order = factory.Limit(owner, buy ? Side.Buy : Side.Sell, price, quantity);
                engine.Queue(order, new ExecutionReport());
                queued[order.OrderId] = order;
            }

            var indicative = engine.IndicativeAuction(new Price(100), Wide);
            var report = new ExecutionReport();
            var auctionPrice = engine.Uncross(new Price(100), Wide, report);

            Assert.False(engine.IsCrossed);
            var taken = new Dictionary<long, long>();
            foreach (var fill in report.Fills)
            {
                Assert.NotEqual(fill.Buyer, fill.Seller);
                Assert.True(queued[fill.BuyOrderId].LimitPrice >= fill.Price && queued[fill.SellOrderId].LimitPrice <= fill.Price);
                taken[fill.BuyOrderId] = taken.GetValueOrDefault(fill.BuyOrderId) + fill.Quantity.Value;
                taken[fill.SellOrderId] = taken.GetValueOrDefault(fill.SellOrderId) + fill.Quantity.Value;
            }

            var cancelled = report.SelfTradeCancellations.ToDictionary(c => c.OrderId, c => c.CancelledQuantity.Value);
            foreach (var (id, order) in queued)
            {
                var left = engine.Find(id)?.RemainingQuantity.Value ?? 0;
                Assert.Equal(order.Quantity.Value, taken.GetValueOrDefault(id) + cancelled.GetValueOrDefault(id) + left);
            }

            // Without self-trades the whole auction is one price and trades exactly what it announced.
            if (report.SelfTradeCancellations.Count == 0)
            {
                Assert.Equal(indicative?.Quantity ?? Seconds.Zero, report.FilledQuantity);
                Assert.All(report.Fills, fill => Assert.Equal(auctionPrice, fill.Price));
            }
        });
    }

    private NewOrder Queue(NewOrder order)
    {
        _engine.Queue(order, new ExecutionReport());
        return order;
    }
}
