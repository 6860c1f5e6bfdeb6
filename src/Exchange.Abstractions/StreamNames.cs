namespace Exchange.Abstractions;

public static class StreamNames
{
    /// <summary>The stream provider every silo and client registers.</summary>
    public const string Provider = "exchange";

    /// <summary>Namespace of trade streams; the stream key is the celebrity id.</summary>
    public const string Trades = "trades";

    /// <summary>Namespace of booking streams; the stream key is the celebrity id.</summary>
    public const string Bookings = "bookings";

    /// <summary>Namespace of chat streams; the stream key is the celebrity id, so a silo listens once per celebrity, not per chat.</summary>
    public const string Chats = "chats";
}
