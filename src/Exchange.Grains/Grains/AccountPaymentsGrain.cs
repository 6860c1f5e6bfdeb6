using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;

namespace Exchange.Grains.Grains;

[NewestSilosOnly]
public sealed class AccountPaymentsGrain(
    [PersistentState("account-payments", StorageNames.Exchange)] IPersistentState<AccountPaymentsState> payments) : Grain, IAccountPaymentsGrain
{
    /// <summary>The list is rewritten whole on each top-up, so it keeps the latest only; balances never depend on it.</summary>
    public const int Kept = 100;

    public async Task Record(PaymentRecord payment)
    {
        if (NewestFirst.With(payments.State.Payments, payment, p => p.PaymentId, p => p.ReceivedAt, Kept) is { } updated)
        {
            payments.State.Payments = updated;
            await payments.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<PaymentRecord>> GetRecent() => Task.FromResult<IReadOnlyList<PaymentRecord>>(payments.State.Payments);
}
