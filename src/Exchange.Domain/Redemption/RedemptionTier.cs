namespace Exchange.Domain.Redemption;

public enum RedemptionTier
{
    Chat,
    VideoCall,
    MeetUp,
}
