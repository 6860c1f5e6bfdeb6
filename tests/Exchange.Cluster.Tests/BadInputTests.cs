using Exchange.Abstractions.Contracts;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;

namespace Exchange.Cluster.Tests;

/// <summary>Every refusal names a stable code and leaves balances, orders and the book exactly as they were.</summary>
public class BadInputTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>, IAsyncLifetime
{
    private const string Celebrity = "tang-wei";
    private const string Fan = "fan-bad";
    private const string OtherFan = "fan-other";
    private string _otherFansOrder = "";

    private ExchangeCluster Exchange => fixture.Exchange;

    public async Task InitializeAsync()
    {
        if ((await Exchange.Celebrity(Celebrity).GetProfile()) is null)
        {
            await Exchange.ListAndIssueAsync(Celebrity, 1_000, 1_000);
            await Exchange.FundAsync(Fan, 50_000);
            await Exchange.FundAsync(OtherFan, 50_000);
            await Exchange.LimitAsync(Fan, Celebrity, Side.Buy, 1_000, 5);
        }

        var others = await Exchange.Wallet(OtherFan).GetOrders(includeClosed: false);
        _otherFansOrder = others.Count > 0 ? others[0].OrderId : (await Exchange.LimitAsync(OtherFan, Celebrity, Side.Buy, 950, 1)).Order!.OrderId;
        await Exchange.SettleAsync(Celebrity);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, long, long, Side, string> RefusedOrders => new()
    {
        { "zero quantity", 1_000, 0, Side.Buy, ErrorCodes.InvalidQuantity },
        { "negative quantity", 1_000, -5, Side.Buy, ErrorCodes.InvalidQuantity },
        { "zero price", 0, 1, Side.Buy, ErrorCodes.InvalidPrice },
        { "negative price", -1_000, 1, Side.Buy, ErrorCodes.InvalidPrice },
        { "price above the band", 1_101, 1, Side.Buy, ErrorCodes.PriceOutsideBand },
        { "price below the band", 899, 1, Side.Sell, ErrorCodes.PriceOutsideBand },
        { "more cash than the fan has", 1_000, 51, Side.Buy, ErrorCodes.InsufficientFunds },
        { "more seconds than the fan has", 1_000, 6, Side.Sell, ErrorCodes.InsufficientSeconds },
        { "notional that overflows", long.MaxValue / 2, 3, Side.Buy, ErrorCodes.NotionalTooLarge },
        { "notional over the per-order cap", 1_000, 200_000_000, Side.Buy, ErrorCodes.NotionalTooLarge },
    };

    [Theory]
    [MemberData(nameof(RefusedOrders))]
    public async Task Bad_orders_are_refused_with_a_clear_code_and_change_nothing(string why, long price, long quantity, Side side, string code)
    {
        var before = await StateAsync();

        var result = await Exchange.LimitAsync(Fan, Celebrity, side, price, quantity);

        Assert.False(result.Succeeded, why);
        Assert.Equal(code, result.Error!.Code);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
        await Exchange.SettleAsync(Celebrity);
        Assert.Equivalent(before, await StateAsync());
    }

    [Fact]
    public async Task An_order_for_an_unknown_celebrity_is_refused_and_changes_nothing()
    {
        var before = await StateAsync();

        var limit = await Exchange.LimitAsync(Fan, "nobody-at-all", Side.Buy, 100, 1);
        var market = await Exchange.MarketAsync(Fan, "nobody-at-all", Side.Buy, 1);

        Assert.Equal(ErrorCodes.UnknownCelebrity, limit.Error!.Code);
        Assert.Equal(ErrorCodes.UnknownCelebrity, market.Error!.Code);
        Assert.Equivalent(before, await StateAsync());
    }

    [Fact]
    public async Task Cancelling_another_fans_order_is_refused_and_the_order_stays()
    {
        var before = await StateAsync();

        var result = await Exchange.Wallet(Fan).CancelOrder(_otherFansOrder);

        Assert.Equal(ErrorCodes.NotYourOrder, result.Error!.Code);
        Assert.Contains(_otherFansOrder, (await Exchange.Wallet(OtherFan).GetOrders(false)).Select(o => o.OrderId));
        Assert.Equivalent(before, await StateAsync());
    }

    [Fact]
    public async Task Cancelling_an_unknown_order_is_refused()
    {
        var result = await Exchange.Wallet(Fan).CancelOrder(Fan + ":999999");

        Assert.Equal(ErrorCodes.UnknownOrder, result.Error!.Code);
    }

    [Theory]
    [InlineData(0, ErrorCodes.InvalidAmount)]
    [InlineData(-100, ErrorCodes.InvalidAmount)]
    public async Task Non_positive_deposits_and_withdrawals_are_refused(long amount, string code)
    {
        var before = await StateAsync();

        Assert.Equal(code, (await Exchange.Wallet(Fan).Deposit("bad-" + Guid.NewGuid(), amount)).Error!.Code);
        Assert.Equal(code, (await Exchange.Wallet(Fan).Withdraw("bad-" + Guid.NewGuid(), amount)).Error!.Code);
        Assert.Equivalent(before, await StateAsync());
    }

    [Fact]
    public async Task Withdrawing_more_than_is_available_is_refused()
    {
        var before = await StateAsync();

        var result = await Exchange.Wallet(Fan).Withdraw("too-much", 10_000_000);

        Assert.Equal(ErrorCodes.InsufficientFunds, result.Error!.Code);
        Assert.Equivalent(before, await StateAsync());
    }

    [Fact]
    public async Task A_deposit_that_would_overflow_the_balance_is_refused()
    {
        var before = await StateAsync();

        var result = await Exchange.Wallet(Fan).Deposit("overflow", long.MaxValue);

        Assert.Equal(ErrorCodes.InvalidAmount, result.Error!.Code);
        Assert.Equivalent(before, await StateAsync());
    }

    private async Task<object> StateAsync()
    {
        var fan = await Exchange.Wallet(Fan).GetSnapshot();
        var other = await Exchange.Wallet(OtherFan).GetSnapshot();
        var depth = await Exchange.Book(Celebrity).GetDepth(20);
        return new { fan, other, depth.Bids, depth.Asks };
    }
}
