using Exchange.Abstractions.Contracts;
using Exchange.Client.Api;

namespace Exchange.Api.Tests;

/// <summary>
/// The simulator's operator steps over HTTP (<c>exchange simulate</c>). On a host of their own: the command-line tests'
/// operator key is busy with simulations of its own, and all share one rate limit.
/// </summary>
public class SimulatorPortApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task The_simulators_operator_steps_issue_time_and_pay_fans_through_the_api()
    {
        await host.ListAndIssueAsync("cli-desk-star", 10, 1_000);
        var port = new HttpMarketPort(host.BaseAddress, ExchangeApiClient.Create(host.BaseAddress, host.OperatorToken));
        await port.PrepareFanAsync("cli-desk-fan", 50_000, CancellationToken.None);
        var bought = await port.PlaceAsync("cli-desk-fan", new PlaceOrderCommand("all", "cli-desk-star", Domain.Orders.Side.Buy, Domain.Orders.OrderType.Limit,
            Domain.Orders.TimeInForce.ImmediateOrCancel, 1_000, 10), CancellationToken.None);
        Assert.Null((await port.QuoteAsync("cli-desk-star", CancellationToken.None)).BestAskFen);

        await port.IssueTimeAsync("cli-desk-star", "cli-desk-more", 40, 1_050, CancellationToken.None);
        await host.SettleAsync();
        var paid = await port.TopUpAsync("cli-desk-fan", 50_000, CancellationToken.None);
        var paidAgain = await port.TopUpAsync("cli-desk-fan", 50_000, CancellationToken.None);

        Assert.Single(bought.Fills);
        Assert.Equal(1_050, (await port.QuoteAsync("cli-desk-star", CancellationToken.None)).BestAskFen);
        Assert.Equal((50_000, 60_000), ((await port.WalletAsync("cli-desk-fan", CancellationToken.None)).CashAvailableFen,
            (await port.WalletAsync("cli-desk-fan", CancellationToken.None)).TotalDepositedFen));
        Assert.Equal((true, false), (paid, paidAgain));
        Assert.True((await ExchangeApiClient.Create(host.BaseAddress, host.OperatorToken).AuditAsync()).Passed);
    }
}
