using Exchange.Domain.Units;

namespace Exchange.Domain.Redemption;

/// <summary>How many seconds each kind of contact requires.</summary>
public static class RedemptionTiers
{
    public static readonly Seconds ChatMinimum = new(1);
    public static readonly Seconds VideoCallMinimum = new(600);
    public static readonly Seconds MeetUpMinimum = new(7_500);

    public static Seconds MinimumFor(RedemptionTier tier) => tier switch
    {
        RedemptionTier.Chat => ChatMinimum,
        RedemptionTier.VideoCall => VideoCallMinimum,
        RedemptionTier.MeetUp => MeetUpMinimum,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Unknown tier."),
    };

    public static bool Qualifies(RedemptionTier tier, Seconds seconds) => seconds >= MinimumFor(tier);

    /// <summary>The richest contact a holding buys, or null for nothing at all.</summary>
    public static RedemptionTier? HighestFor(Seconds seconds) =>
        seconds >= MeetUpMinimum ? RedemptionTier.MeetUp
        : seconds >= VideoCallMinimum ? RedemptionTier.VideoCall
        : seconds >= ChatMinimum ? RedemptionTier.Chat
        : null;
}
