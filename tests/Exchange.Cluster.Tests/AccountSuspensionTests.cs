using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;

namespace Exchange.Cluster.Tests;

/// <summary>An operator's hold on an account: nothing new goes in or out until it is lifted, and nothing is lost.</summary>
public class AccountSuspensionTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    [Fact]
    public async Task A_suspension_cancels_open_orders_and_refuses_orders_withdrawals_and_chats_until_reinstated()
    {
        const string star = "suspended-star";
        await Exchange.ListAndIssueAsync(star, 1_000, 100);
        await Exchange.FundAsync("suspect", 100_000);
        await Exchange.MarketAsync("suspect", star, Side.Buy, 10);
        await Exchange.SettleAsync(star);
        await Exchange.LimitAsync("suspect", star, Side.Buy, 90, 5);
        await Exchange.LimitAsync("suspect", star, Side.Sell, 110, 3);
        await Exchange.Wallet("suspect").PlaceOrder(new PlaceOrderCommand("stop", star, Side.Sell, OrderType.Market, TimeInForce.GoodTillCancel, 0, 2, StopPriceFen: 80));

        var suspended = await Exchange.Wallet("suspect").Suspend("fraud review");
        await Exchange.SettleAsync(star);
        var order = await Exchange.LimitAsync("suspect", star, Side.Buy, 100, 1);
        var withdrawal = await Exchange.Wallet("suspect").RequestWithdrawal("out", 1_000);
        var chat = await Exchange.Wallet("suspect").RedeemChat("chat", star, 1, counted: true);
        var deposit = await Exchange.Wallet("suspect").Deposit("operator-credit", 500);
        var during = await Exchange.Wallet("suspect").GetSnapshot();
        var reinstated = await Exchange.Wallet("suspect").Reinstate();
        var after = await Exchange.LimitAsync("suspect", star, Side.Buy, 100, 1);
        await Exchange.SettleAsync(star);

        Assert.Equal(("fraud review", 3), (suspended.SuspendedReason, suspended.OrdersCancelled));
        Assert.Equal(ErrorCodes.AccountSuspended, order.Error!.Code);
        Assert.Contains("fraud review", order.Error.Message);
        Assert.Equal(ErrorCodes.AccountSuspended, withdrawal.Error!.Code);
        Assert.Equal(ErrorCodes.AccountSuspended, chat.Error!.Code);
        Assert.True(deposit.Succeeded); // operators still move its money
        Assert.Equal("fraud review", during.SuspendedReason);
        Assert.Empty(during.OpenOrders);
        Assert.Equal(0, during.CashReservedFen);
        Assert.Equal((10L, 0L), (during.Holdings.Single().Available, during.Holdings.Single().Reserved));
        Assert.Equal(100_000 - 10 * 100 + 500, during.CashAvailableFen);
        Assert.False(reinstated.Suspended);
        Assert.True(after.Succeeded, after.Error?.Message);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task The_platforms_own_accounts_cannot_be_suspended_and_a_suspension_needs_a_reason()
    {
        await Exchange.FundAsync("suspect-no-reason", 1_000);

        var treasury = await Exchange.Wallet(AccountIds.Treasury).Suspend("no");
        var noReason = await Exchange.Wallet("suspect-no-reason").Suspend(" ");

        Assert.Equal(ErrorCodes.InvalidRequest, treasury.Error!.Code);
        Assert.Equal(ErrorCodes.InvalidRequest, noReason.Error!.Code);
        Assert.Null((await Exchange.Wallet(AccountIds.Treasury).GetSnapshot()).SuspendedReason);
        Assert.Null((await Exchange.Wallet("suspect-no-reason").GetSnapshot()).SuspendedReason);
    }
}
