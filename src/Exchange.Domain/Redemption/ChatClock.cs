using Exchange.Domain.Units;

namespace Exchange.Domain.Redemption;

/// <summary>
/// The time a text chat takes from a celebrity, and so what it costs the fan. A fan opens a chat holding up to
/// <see cref="Held"/> seconds; the celebrity's first answer starts the clock, and the chat ends when either side ends
/// it or when the held seconds have run out. Only the seconds between the first answer and the end are used (rounded
/// up to a whole second, at least one): a fan pays nothing for a chat nobody answered, however long it waited, and
/// never more than it held.
/// </summary>
public sealed record ChatClock(DateTimeOffset OpenedAt, DateTimeOffset? AnsweredAt, Seconds Held, TimeSpan AnswerWithin)
{
    /// <summary>Most a chat may hold: an hour of typing is a long chat, and the video tier starts at 600 s.</summary>
    public static Seconds MaxHeld { get; } = new(3_600);

    /// <summary>How long a celebrity has to answer before the chat lapses and the fan gets every second back.</summary>
    public static TimeSpan DefaultAnswerWithin { get; } = TimeSpan.FromHours(24);

    public static bool IsValidHold(Seconds held) => held.IsPositive && held <= MaxHeld;

    /// <summary>When the chat ends by itself: unanswered after <see cref="AnswerWithin"/>, or its held seconds used up.</summary>
    public DateTimeOffset EndsAt => AnsweredAt is { } answered ? answered.AddSeconds(Held.Value) : OpenedAt + AnswerWithin;

    public bool HasRunOut(DateTimeOffset now) => now >= EndsAt;

    /// <summary>The seconds a chat ended at <paramref name="endedAt"/> used (capped at <see cref="EndsAt"/>).</summary>
    public Seconds UsedWhenEndedAt(DateTimeOffset endedAt)
    {
        if (AnsweredAt is not { } answered)
        {
            return Seconds.Zero;
        }

        var end = endedAt < EndsAt ? endedAt : EndsAt;
        var elapsed = end - answered;
        // Ticks, not floating-point seconds: whole seconds rounded up, exactly.
        var whole = elapsed.Ticks <= 0 ? 0 : (elapsed.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        return new Seconds(Math.Clamp(whole, 1, Held.Value));
    }
}
