using Orleans.Placement;

namespace Exchange.Grains.Placement;

/// <summary>The placement filter of <see cref="NewestSilosOnlyAttribute"/>.</summary>
public sealed class NewestSilosOnlyStrategy() : PlacementFilterStrategy(order: 0);
