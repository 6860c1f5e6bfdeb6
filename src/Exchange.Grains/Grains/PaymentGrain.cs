using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Domain.Units;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;

namespace Exchange.Grains.Grains;

[NewestSilosOnly]
public sealed class PaymentGrain(
    [PersistentState("payment", StorageNames.Exchange)] IPersistentState<PaymentState> payment,
    ExchangeClock time) : Grain, IPaymentGrain
{
    private string PaymentId => this.GetPrimaryKeyString();

    public async Task<TransferResult> Credit(string accountId, long amountFen)
    {
        var recorded = payment.State;
        if (recorded.AccountId is null)
        {
            // Recorded before the wallet is credited: a crash in between leaves the provider's retry to finish the
            // credit, which the wallet takes once by its key.
            recorded.AccountId = accountId;
            recorded.AmountFen = amountFen;
            recorded.ReceivedAt = time.UtcNow;
            await payment.WriteStateAsync();
        }
        else if (recorded.AccountId != accountId || recorded.AmountFen != amountFen)
        {
            return TransferResult.Refused(ErrorCodes.PaymentConflict,
                $"Payment '{PaymentId}' was already received for another account or amount ({new Cash(recorded.AmountFen)}); nothing was credited now.");
        }

        var credited = await GrainFactory.ByKey<IWalletGrain>(accountId).Deposit(TransferKeys.Payment(PaymentId), amountFen);
        if (credited.Succeeded)
        {
            // Before answering, so that a failure here makes the provider retry and the list catches up.
            await GrainFactory.ByKey<IAccountPaymentsGrain>(accountId).Record(new PaymentRecord(PaymentId, amountFen, recorded.ReceivedAt));
        }

        return credited;
    }
}
