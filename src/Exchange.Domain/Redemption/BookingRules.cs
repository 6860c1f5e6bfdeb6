using Exchange.Domain.Units;

namespace Exchange.Domain.Redemption;

/// <summary>
/// When bookings may be made, cancelled and closed. The no-show rule: a celebrity who reports the fan absent
/// (at or after the start) keeps the seconds burned; a booked slot that nobody fulfils or reports by its end plus the
/// grace period counts as the celebrity's no-show, and the fan gets the seconds back.
/// </summary>
public sealed record BookingRules(TimeSpan FanCancellationCutoff, TimeSpan FulfilmentGrace)
{
    public static BookingRules Default { get; } = new(TimeSpan.FromHours(24), TimeSpan.FromHours(2));

    public static RedemptionTier TierOf(SlotKind kind) => kind == SlotKind.MeetUp ? RedemptionTier.MeetUp : RedemptionTier.VideoCall;

    /// <summary>
    /// A slot costs at least its tier's minimum, which asking 0 means; a celebrity may ask more for a longer slot. Less
    /// is not a price the slot can have (null): refused, so that no one believes a slot costs what it does not.
    /// </summary>
    public static Seconds? SecondsFor(SlotKind kind, Seconds asked)
    {
        var minimum = RedemptionTiers.MinimumFor(TierOf(kind));
        return asked.Value == 0 ? minimum : asked >= minimum ? asked : null;
    }

    /// <summary>How far ahead a slot may be published: a booking holds the fan's seconds until the slot, so not for ever.</summary>
    public static TimeSpan MaxLeadTime { get; } = TimeSpan.FromDays(366);

    public static bool CanBook(DateTimeOffset now, DateTimeOffset start) => now < start;

    public static bool IsWithinLeadTime(DateTimeOffset now, DateTimeOffset start) => start - now <= MaxLeadTime;

    /// <summary>
    /// A celebrity is one person: two slots whose times share a moment cannot both be kept. Back to back (one ends as
    /// the next starts) is fine. Compared as differences, which never overflow as sums near the end of the calendar do.
    /// </summary>
    public static bool Overlap(DateTimeOffset start, TimeSpan duration, DateTimeOffset otherStart, TimeSpan otherDuration) =>
        start - otherStart < otherDuration && otherStart - start < duration;

    public bool FanMayCancel(DateTimeOffset now, DateTimeOffset start) => now < start - FanCancellationCutoff;

    /// <summary>Fulfilment and a fan no-show can only be reported once the slot has started.</summary>
    public static bool HasStarted(DateTimeOffset now, DateTimeOffset start) => now >= start;

    /// <summary>Compared as a difference: a slot stored near the end of the calendar must not make the sum overflow.</summary>
    public bool IsAbandoned(DateTimeOffset now, DateTimeOffset start, TimeSpan duration) => now - start >= duration + FulfilmentGrace;
}
