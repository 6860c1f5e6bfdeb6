using Exchange.Abstractions.Grains;
using Orleans.Runtime.Placement;

namespace Exchange.Grains.Grains;

/// <summary>
/// Base of the exchange's stateful grains: Orleans grain migration moves an activation, with its persistent state,
/// to the silo given as placement hint once it is idle.
/// </summary>
public abstract class MigratableGrain : Grain, IMigratableGrain
{
    public Task MoveTo(SiloAddress target)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
        this.MigrateOnIdle();
        return Task.CompletedTask;
    }
}
