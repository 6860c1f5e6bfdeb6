namespace Exchange.Grains.State;

/// <summary>
/// A wallet's standing with one celebrity, stored as an item of its own (see <see cref="WalletPersistence"/>): its
/// holding of that celebrity's seconds, if it has one, and the last event of that celebrity's book it applied.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct WalletPosition(
    [property: Id(0)] bool HasHolding,
    [property: Id(1)] long Available,
    [property: Id(2)] long Reserved,
    [property: Id(3)] long HeldForBookings,
    [property: Id(4)] long AppliedEventSequence,
    [property: Id(5)] long ReceivedByIssuance = 0,
    [property: Id(6)] long Redeemed = 0,
    [property: Id(7)] long CostFen = 0,
    [property: Id(8)] bool CostTracked = false,
    [property: Id(9)] long RealisedGainFen = 0,
    [property: Id(10)] bool RealisedGainIncomplete = false)
{
    public static WalletPosition Of(WalletState state, string celebrityId) =>
        state.Holdings.TryGetValue(celebrityId, out var holding)
            ? new(true, holding.Available, holding.Reserved, holding.HeldForBookings, state.AppliedEventSequence.GetValueOrDefault(celebrityId),
                holding.ReceivedByIssuance, holding.Redeemed, holding.CostFen, holding.CostTracked,
                holding.RealisedGainFen, holding.RealisedGainIncomplete)
            : new(false, 0, 0, 0, state.AppliedEventSequence.GetValueOrDefault(celebrityId));

    public void RestoreInto(WalletState state, string celebrityId)
    {
        if (HasHolding)
        {
            state.Holdings[celebrityId] = new HoldingState
            {
                Available = Available, Reserved = Reserved, HeldForBookings = HeldForBookings, ReceivedByIssuance = ReceivedByIssuance, Redeemed = Redeemed,
                CostFen = CostFen, CostTracked = CostTracked, RealisedGainFen = RealisedGainFen, RealisedGainIncomplete = RealisedGainIncomplete,
            };
        }

        if (AppliedEventSequence > 0)
        {
            state.AppliedEventSequence[celebrityId] = AppliedEventSequence;
        }
    }
}
