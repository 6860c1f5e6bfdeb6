using Exchange.Abstractions.Contracts;
using Exchange.Domain.Positions;

namespace Exchange.Grains.State;

/// <summary>Seconds of one celebrity held by one account.</summary>
[GenerateSerializer]
public sealed class HoldingState
{
    [Id(0)] public long Available { get; set; }

    /// <summary>Committed to open sell orders.</summary>
    [Id(1)] public long Reserved { get; set; }

    /// <summary>Committed to pending bookings (redemption).</summary>
    [Id(2)] public long HeldForBookings { get; set; }

    /// <summary>Running total of seconds received by primary issuance (the treasury's only): read by the audit.</summary>
    [Id(3)] public long ReceivedByIssuance { get; set; }

    /// <summary>Running total of seconds burned by redemption: read by the audit.</summary>
    [Id(4)] public long Redeemed { get; set; }

    /// <summary>What the seconds held cost (see <see cref="CostBasis"/>): buys add what they paid; seconds sold or redeemed take their share.</summary>
    [Id(5)] public long CostFen { get; set; }

    /// <summary>Whether <see cref="CostFen"/> covers every second held: false for a holding an earlier build began, until it is emptied.</summary>
    [Id(6)] public bool CostTracked { get; set; }

    /// <summary>
    /// Gains (losses if negative) on seconds sold: what each sale brought after the commission, less the cost the seconds
    /// sold took with them. Kept after the holding is sold out, so the fan's record survives it.
    /// </summary>
    [Id(7)] public long RealisedGainFen { get; set; }

    /// <summary>Whether a sale took seconds whose cost was not known (see <see cref="CostTracked"/>): <see cref="RealisedGainFen"/> then leaves it out.</summary>
    [Id(8)] public bool RealisedGainIncomplete { get; set; }

    public long Total => Available + Reserved + HeldForBookings;

    /// <summary>Seconds bought (or issued) for <paramref name="paidFen"/>, available at once.</summary>
    public void Gain(long seconds, long paidFen)
    {
        if (Total == 0)
        {
            // Nothing held, nothing unknown: from here the cost is complete.
            CostTracked = true;
            CostFen = 0;
        }

        Available = checked(Available + seconds);
        CostFen = checked(CostFen + paidFen);
    }

    /// <summary>Called before <paramref name="seconds"/> leave for good (sold or redeemed), while they still count in <see cref="Total"/>; the cost they take.</summary>
    public long LoseCostOf(long seconds)
    {
        // More than is held would be a fault the audit reports; the cost must not stop settlement over it.
        var share = seconds >= Total ? CostFen : CostBasis.ShareOf(CostFen, Total, seconds);
        CostFen -= share;
        return share;
    }

    /// <summary>Reserved seconds sold, bringing <paramref name="proceedsFen"/> after the commission.</summary>
    public void Sell(long seconds, long proceedsFen)
    {
        var cost = LoseCostOf(seconds);
        Reserved -= seconds;
        if (CostTracked)
        {
            RealisedGainFen = checked(RealisedGainFen + proceedsFen - cost);
        }
        else
        {
            RealisedGainIncomplete = true;
        }
    }

    public HoldingView ToView(string celebrityId) =>
        new(celebrityId, Available, Reserved, HeldForBookings, CostTracked ? CostFen : null, RealisedGainIncomplete ? null : RealisedGainFen);
}
