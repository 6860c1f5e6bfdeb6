using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;

namespace Exchange.Grains.Grains;

[NewestSilosOnly]
public sealed class WithdrawalDeskGrain(
    [PersistentState("withdrawal-desk", StorageNames.Exchange)] IPersistentState<WithdrawalDeskState> desk) : Grain, IWithdrawalDeskGrain
{
    private static string EntryKey(string accountId, string requestId) => accountId + "/" + requestId;

    public async Task Enqueue(WithdrawalView withdrawal)
    {
        if (desk.State.Pending.TryAdd(EntryKey(withdrawal.AccountId, withdrawal.RequestId), withdrawal))
        {
            await desk.WriteStateAsync();
        }
    }

    public async Task Remove(string accountId, string requestId)
    {
        if (desk.State.Pending.Remove(EntryKey(accountId, requestId)))
        {
            await desk.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<WithdrawalView>> GetPending() =>
        Task.FromResult<IReadOnlyList<WithdrawalView>>(desk.State.Pending.Values.OrderBy(w => w.RequestedAt).ThenBy(w => w.AccountId, StringComparer.Ordinal).ThenBy(w => w.RequestId, StringComparer.Ordinal).ToList());
}
