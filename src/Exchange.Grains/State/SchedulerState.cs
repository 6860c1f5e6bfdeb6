using Exchange.Abstractions.Contracts;
using Exchange.Domain.Redemption;

namespace Exchange.Grains.State;

/// <summary>What an interrupted slot change still has to do to the fan's wallet.</summary>
public enum PendingWalletStep
{
    None,
    Hold,
    Release,
    Burn,
}

[GenerateSerializer]
public sealed class SlotState
{
    [Id(0)] public required string SlotId { get; init; }
    [Id(1)] public DateTimeOffset Start { get; init; }
    [Id(2)] public TimeSpan Duration { get; init; }
    [Id(3)] public SlotKind Kind { get; init; }
    [Id(4)] public string? Location { get; init; }
    [Id(5)] public long Seconds { get; init; }
    [Id(6)] public SlotStatus Status { get; set; }
    [Id(7)] public string? FanId { get; set; }
    [Id(8)] public string? BookingId { get; set; }

    /// <summary>Written before the wallet is called; a crash leaves it set so the step is finished on the next run.</summary>
    [Id(9)] public PendingWalletStep Pending { get; set; }

    /// <summary>The status the slot takes once <see cref="Pending"/> completes.</summary>
    [Id(10)] public SlotStatus StatusAfterPending { get; set; }
    [Id(11)] public int BookingCount { get; set; }

    /// <summary>Whether <see cref="Pending"/> is counted in the totals the audit reads: false for a step the previous build began.</summary>
    [Id(12)] public bool PendingCounted { get; set; }

    /// <summary>The fan whose own cancellation last reopened the slot, so that fan repeating it is answered as done.</summary>
    [Id(13)] public string? CancelledByFanId { get; set; }

    /// <summary>How to join (a video call's link, where exactly to meet): shown to the fan who booked it, never to others.</summary>
    [Id(14)] public string? JoiningDetails { get; set; }
}

[GenerateSerializer]
public sealed class PendingChatState
{
    [Id(0)] public required string FanId { get; init; }
    [Id(1)] public long Seconds { get; init; }

    /// <summary>Counted by the wallet and the celebrity in the totals the audit reads: false for a chat the previous build began.</summary>
    [Id(2)] public bool Counted { get; init; }

    /// <summary>A chat session's end: <see cref="Seconds"/> used are burned from its hold, the rest of the hold returned.</summary>
    [Id(3)] public bool FromHold { get; init; }
}

[GenerateSerializer]
public sealed class SchedulerState
{
    [Id(0)] public Dictionary<string, SlotState> Slots { get; set; } = new();

    /// <summary>Chats whose seconds were burned from the wallet but not yet counted as redeemed.</summary>
    [Id(1)] public Dictionary<string, PendingChatState> PendingChats { get; set; } = new();
}
