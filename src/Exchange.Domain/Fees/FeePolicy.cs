using Exchange.Domain.Units;

namespace Exchange.Domain.Fees;

/// <summary>
/// The platform's commission: a share of each trade's notional in basis points (300 = 3%), rounded half up to the
/// fen, paid by the seller out of the proceeds. The buyer pays exactly the notional.
/// </summary>
public sealed record FeePolicy(int BasisPoints = FeePolicy.DefaultBasisPoints)
{
    public const int DefaultBasisPoints = 300;

    private const int BasisPointsPerWhole = 10_000;

    public static FeePolicy Default { get; } = new();

    public Cash CommissionOn(Cash notional)
    {
        if (notional.IsNegative)
        {
            throw new ArgumentOutOfRangeException(nameof(notional), "A trade's notional cannot be negative.");
        }

        if (BasisPoints is < 0 or > BasisPointsPerWhole)
        {
            throw new InvalidOperationException($"Commission of {BasisPoints} bps is outside 0..10000.");
        }

        // 128-bit intermediate: notional x bps overflows a long for notionals above ~3e15 fen.
        var scaled = (Int128)notional.Fen * BasisPoints;
        return new Cash((long)((scaled + (BasisPointsPerWhole / 2)) / BasisPointsPerWhole));
    }

    public TradeSettlement Settle(Price price, Seconds quantity)
    {
        var notional = price.NotionalOf(quantity);
        var commission = CommissionOn(notional);
        return new TradeSettlement(notional, notional - commission, commission);
    }
}
