using Exchange.Abstractions.Grains;
using Exchange.Grains.Hosting;
using Exchange.Grains.Placement;
using Exchange.Grains.State;

namespace Exchange.Grains.Grains;

[NewestSilosOnly]
public sealed class MarketStatusGrain(
    [PersistentState("market", StorageNames.Exchange)] IPersistentState<MarketStatusState> status) : Grain, IMarketStatusGrain
{
    public Task<string?> GetHaltReason() => Task.FromResult(status.State.HaltReason);

    public async Task Halt(string reason)
    {
        status.State.HaltReason = reason;
        await status.WriteStateAsync();
    }

    public async Task Resume()
    {
        status.State.HaltReason = null;
        await status.WriteStateAsync();
    }
}
