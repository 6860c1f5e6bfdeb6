using Exchange.Abstractions.Contracts;

namespace Exchange.Abstractions.Http;

/// <summary>
/// What a chat feed sends. "ready": the feed is live; a one-chat feed carries the chat with its messages as it stood
/// then. "message": a message was written (<see cref="Message"/>), and <see cref="Chat"/> is the chat after it, without
/// its messages. "chat": the chat changed without a message (it ended).
/// </summary>
public sealed record ChatFeedEvent(string Kind, ChatView? Chat, ChatMessage? Message)
{
    public const string Ready = "ready";
    public const string NewMessage = "message";
    public const string Changed = "chat";
}
