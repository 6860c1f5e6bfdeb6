using Exchange.Domain.Redemption;

namespace Exchange.Grains.State;

public enum BookingHoldStatus
{
    Held,
    Released,
    Burned,
}

[GenerateSerializer]
public sealed class BookingHoldState
{
    [Id(0)] public required string BookingId { get; init; }
    [Id(1)] public required string CelebrityId { get; init; }
    [Id(2)] public required string SlotId { get; init; }
    [Id(3)] public SlotKind Kind { get; init; }
    [Id(4)] public DateTimeOffset Start { get; init; }
    [Id(5)] public long Seconds { get; init; }
    [Id(6)] public BookingHoldStatus Status { get; set; }

    /// <summary>Of <see cref="Seconds"/>, those burned when the hold was settled (a chat uses part of its hold).</summary>
    [Id(7)] public long BurnedSeconds { get; set; }
}
