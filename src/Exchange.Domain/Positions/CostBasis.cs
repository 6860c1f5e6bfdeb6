namespace Exchange.Domain.Positions;

/// <summary>
/// What the seconds a fan holds cost, by average cost: a buy adds what it paid, and seconds that leave (sold or
/// redeemed) take their share of the cost with them, so the seconds left keep their average price. Whole fen: a share
/// is rounded down, and the last seconds to leave take whatever is left, so the cost never outlives the seconds.
/// </summary>
public static class CostBasis
{
    /// <summary>The part of <paramref name="costFen"/> that <paramref name="leaving"/> of <paramref name="held"/> seconds take with them.</summary>
    public static long ShareOf(long costFen, long held, long leaving)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(costFen);
        ArgumentOutOfRangeException.ThrowIfNegative(leaving);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(leaving, held);
        return leaving == held ? costFen : (long)((Int128)costFen * leaving / held);
    }
}
