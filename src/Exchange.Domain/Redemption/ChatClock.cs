using Exchange.Domain.Units;

namespace Exchange.Domain.Redemption;

/// <summary>
/// The time a text chat takes from a celebrity, and so what it costs the fan. A fan opens a chat holding up to
/// <see cref="Held"/> seconds; the celebrity's first answer starts the clock. What the chat uses runs from that answer to
/// its last message (rounded up to a whole second, at least one, never more than it held): a fan pays nothing for a chat
/// nobody answered, however long it waited, and nothing for a chat left open after the talking stopped. It ends when
/// either side ends it, when its held seconds are used up, unanswered after <see cref="AnswerWithin"/>, or when nobody
/// has written for <see cref="IdleAfter"/>.
/// </summary>
public sealed record ChatClock(
    DateTimeOffset OpenedAt, DateTimeOffset? AnsweredAt, DateTimeOffset LastMessageAt, Seconds Held, TimeSpan AnswerWithin, TimeSpan IdleAfter)
{
    /// <summary>Most a chat may hold: an hour of typing is a long chat, and the video tier starts at 600 s.</summary>
    public static Seconds MaxHeld { get; } = new(3_600);

    /// <summary>How long a celebrity has to answer before the chat lapses and the fan gets every second back.</summary>
    public static TimeSpan DefaultAnswerWithin { get; } = TimeSpan.FromHours(24);

    /// <summary>How long a live chat stays open with nobody writing: a conversation that stopped is over.</summary>
    public static TimeSpan DefaultIdleAfter { get; } = TimeSpan.FromMinutes(5);

    public static bool IsValidHold(Seconds held) => held.IsPositive && held <= MaxHeld;

    /// <summary>When the chat ends by itself: unanswered, its held seconds used up, or idle, whichever comes first.</summary>
    public DateTimeOffset EndsAt
    {
        get
        {
            if (AnsweredAt is not { } answered)
            {
                return OpenedAt + AnswerWithin;
            }

            var usedUp = answered.AddSeconds(Held.Value);
            var idle = LastMessageAt + IdleAfter;
            return idle < usedUp ? idle : usedUp;
        }
    }

    /// <summary>How a chat that ended by itself ended: "unanswered", "time" (its seconds used up) or "idle".</summary>
    public string EndedBy => AnsweredAt is not { } answered ? "unanswered" : EndsAt == answered.AddSeconds(Held.Value) ? "time" : "idle";

    public bool HasRunOut(DateTimeOffset now) => now >= EndsAt;

    /// <summary>The seconds the chat uses: from the first answer to its last message, at least one, at most what it held.</summary>
    public Seconds Used
    {
        get
        {
            if (AnsweredAt is not { } answered)
            {
                return Seconds.Zero;
            }

            var elapsed = LastMessageAt - answered;
            // Ticks, not floating-point seconds: whole seconds rounded up, exactly.
            var whole = elapsed.Ticks <= 0 ? 0 : (elapsed.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
            return new Seconds(Math.Clamp(whole, 1, Held.Value));
        }
    }
}
