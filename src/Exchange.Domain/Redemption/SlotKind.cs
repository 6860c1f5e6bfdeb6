namespace Exchange.Domain.Redemption;

/// <summary>Contact a celebrity publishes slots for. Text chats need no slot.</summary>
public enum SlotKind
{
    VideoCall,
    MeetUp,
}
