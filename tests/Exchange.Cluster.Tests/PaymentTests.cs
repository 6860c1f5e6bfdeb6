using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;

namespace Exchange.Cluster.Tests;

public class PaymentTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    [Fact]
    public async Task A_payment_recorded_while_the_wallet_was_unreachable_is_credited_once_by_the_providers_retry()
    {
        var payment = Exchange.Grains.GetGrain<IPaymentGrain>("pay-retry-1");

        var cut = UnreachableGrains.Cut<IWalletGrain>("pay-retry-fan");
        try
        {
            // The provider hears a failure and will notify again.
            await Assert.ThrowsAnyAsync<Exception>(() => payment.Credit("pay-retry-fan", 7_000));
        }
        finally
        {
            cut.Dispose();
        }

        var retried = await payment.Credit("pay-retry-fan", 7_000);
        var again = await payment.Credit("pay-retry-fan", 7_000);
        var elsewhere = await payment.Credit("pay-retry-other", 7_000);
        var wallet = await Exchange.Wallet("pay-retry-fan").GetSnapshot();

        Assert.Equal((true, false), (retried.Succeeded, retried.WasReplay));
        Assert.True(again.WasReplay);
        Assert.Equal(ErrorCodes.PaymentConflict, elsewhere.Error!.Code);
        Assert.Equal((7_000L, 7_000L), (wallet.CashAvailableFen, wallet.TotalDepositedFen));
        Assert.Equal(0, (await Exchange.Wallet("pay-retry-other").GetSnapshot()).TotalDepositedFen);
        Assert.Equal(["pay-retry-1"], (await Exchange.Grains.GetGrain<IAccountPaymentsGrain>("pay-retry-fan").GetRecent()).Select(p => p.PaymentId));
        Assert.Empty(await Exchange.Grains.GetGrain<IAccountPaymentsGrain>("pay-retry-other").GetRecent());
        await Exchange.AssertAuditPassesAsync();
    }
}
