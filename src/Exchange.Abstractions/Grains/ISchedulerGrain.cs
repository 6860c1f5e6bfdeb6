using Exchange.Abstractions.Contracts;
using Orleans.CodeGeneration;

namespace Exchange.Abstractions.Grains;

/// <summary>One celebrity's published slots and their bookings, and text-chat redemptions. Key: celebrity id.</summary>
[Version(5)]
public interface ISchedulerGrain : IGrainWithStringKey
{
    Task<SlotResult> Publish(SlotRequest request);

    /// <summary>Takes back an unbooked slot, or cancels a booked one (the fan's seconds are returned).</summary>
    Task<SlotResult> CancelByCelebrity(string slotId);

    /// <summary>Gives an open or booked slot how to join it (or none, with null), for the fan who books it.</summary>
    Task<SlotResult> SetJoiningDetails(string slotId, string? joiningDetails);

    Task<SlotResult> Book(string slotId, string fanId);

    Task<SlotResult> CancelByFan(string slotId, string fanId);

    /// <summary>The contact happened: the held seconds are burned (redeemed).</summary>
    Task<SlotResult> Fulfil(string slotId);

    /// <summary>The fan did not come: the held seconds are burned all the same.</summary>
    Task<SlotResult> ReportFanNoShow(string slotId);

    /// <summary>A text chat: burns the seconds used straight from the fan's available seconds. Idempotent per id.</summary>
    Task<TransferResult> RedeemChat(string redemptionId, string fanId, long seconds);

    /// <summary>
    /// A chat session ended (<see cref="IChatSessionGrain"/>): burns <paramref name="usedSeconds"/> of the hold
    /// <paramref name="holdId"/> in the fan's wallet, returns the rest, and counts them redeemed. Idempotent per hold.
    /// </summary>
    Task FinishChatSession(string holdId, string fanId, long usedSeconds);

    Task<IReadOnlyList<SlotView>> GetSlots(bool includeClosed);

    /// <summary>Finishes wallet steps and chat redemptions a crash interrupted; changes nothing else.</summary>
    Task CompletePending();

    /// <summary>Expires lapsed slots and finishes work a crash interrupted; what the reminder runs. Returns slots still pending.</summary>
    Task<int> ProcessDue();
}
