namespace Exchange.Domain.Redemption;

/// <summary>
/// Contact a fan's seconds are held for: a published slot (video call, meet-up), or a text chat, which needs no slot
/// (<see cref="TextChat"/> is never a slot's kind).
/// </summary>
public enum SlotKind
{
    VideoCall,
    MeetUp,
    TextChat,
}
