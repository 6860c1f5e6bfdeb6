using Exchange.Abstractions.Contracts;

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

    public long Total => Available + Reserved + HeldForBookings;

    public HoldingView ToView(string celebrityId) => new(celebrityId, Available, Reserved, HeldForBookings);
}
