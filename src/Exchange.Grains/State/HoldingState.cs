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

    public long Total => Available + Reserved + HeldForBookings;

    public HoldingView ToView(string celebrityId) => new(celebrityId, Available, Reserved, HeldForBookings);
}
