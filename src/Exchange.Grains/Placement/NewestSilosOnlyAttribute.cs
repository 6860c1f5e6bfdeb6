using Orleans.Placement;

namespace Exchange.Grains.Placement;

/// <summary>
/// Places the grain only on the silos running the newest build in the cluster, however it is activated: a call, a
/// reminder, a stream event or a migration. During a rolling upgrade an older silo would read state written by a newer
/// one, drop the fields it does not know, and write it back without them.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class NewestSilosOnlyAttribute() : PlacementFilterAttribute(new NewestSilosOnlyStrategy());
