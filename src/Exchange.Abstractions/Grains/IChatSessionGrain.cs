using Exchange.Abstractions.Contracts;
using Orleans.CodeGeneration;

namespace Exchange.Abstractions.Grains;

/// <summary>
/// One text chat between a fan and a celebrity, paid in that celebrity's seconds (the rules are
/// <c>Exchange.Domain.Redemption.ChatClock</c>'s). Key: <see cref="KeyOf"/>. The fan's calls are checked here (another
/// fan's chat is unknown to it); who may act for the celebrity is the caller's to check.
/// </summary>
[Version(3)]
public interface IChatSessionGrain : IGrainWithStringKey
{
    static string KeyOf(string celebrityId, string chatId) => celebrityId + "/" + chatId;

    /// <summary>
    /// Opens the chat with its first message, holding <paramref name="seconds"/> of the fan's available seconds of the
    /// celebrity. Idempotent: the same fan asking again for the same hold gets the chat; anything else under the id is refused.
    /// </summary>
    Task<ChatResult> Open(string fanId, long seconds, string message);

    /// <summary>A message from the fan, or from the celebrity's side (whose first starts the clock).</summary>
    Task<ChatResult> Post(string authorId, bool fromCelebritySide, string text);

    /// <summary>Either side ends the chat: the seconds used are burned and the rest returned. Ending it again is a replay.</summary>
    Task<ChatResult> End(string byId, bool fromCelebritySide);

    /// <summary>The chat with its messages, for the fan <paramref name="fanId"/> (null: the celebrity's side); null if unknown to them.</summary>
    Task<ChatView?> Get(string? fanId);

    /// <summary>As <see cref="Get"/>, without the messages: for lists, which would otherwise carry them only to drop them.</summary>
    Task<ChatView?> GetSummary(string? fanId);
}
