using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;

namespace Exchange.Grains.Grains;

[NewestSilosOnly]
public sealed class AccountAdjustmentsGrain(
    [PersistentState("account-adjustments", StorageNames.Exchange)] IPersistentState<AccountAdjustmentsState> adjustments) : Grain, IAccountAdjustmentsGrain
{
    /// <summary>The list is rewritten whole on each adjustment, so it keeps the latest only; balances never depend on it.</summary>
    public const int Kept = 100;

    public async Task Record(CashAdjustment adjustment)
    {
        if (NewestFirst.With(adjustments.State.Adjustments, adjustment, a => a.IdempotencyKey, a => a.MadeAt, Kept) is { } updated)
        {
            adjustments.State.Adjustments = updated;
            await adjustments.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<CashAdjustment>> GetRecent() => Task.FromResult<IReadOnlyList<CashAdjustment>>(adjustments.State.Adjustments);
}
