using Exchange.Abstractions.Contracts;
using Orleans.CodeGeneration;

namespace Exchange.Abstractions.Grains;

/// <summary>
/// The list of one celebrity's chats (<see cref="IChatSessionGrain"/>) without their messages: open ones, and the latest
/// ended. Key: celebrity id. Kept up to date by the chats themselves.
/// </summary>
[Version(6)]
public interface IChatInboxGrain : IGrainWithStringKey
{
    /// <summary>A fan keeps this many chats open with one celebrity at once; more would only crowd the celebrity's inbox.</summary>
    const int MaxOpenPerFan = 3;

    /// <summary>Open chats one celebrity's inbox takes; past this fans wait for some to end, as for a full mailbox.</summary>
    const int MaxOpen = 500;

    /// <summary>Fans one celebrity may block; enough for harassment, not a way to store a mailing list.</summary>
    const int MaxBlocked = 10_000;

    /// <summary>
    /// Makes room for a new chat before it holds anything: refused when the fan is blocked, when it has <see cref="MaxOpenPerFan"/> open
    /// with this celebrity already, or the celebrity <see cref="MaxOpen"/>. A chat admitted but never recorded (its opening failed) stops counting after a minute.
    /// </summary>
    Task<ExchangeError?> Admit(string chatId, string fanId);

    /// <summary>The chat as it stands now; an older revision than the one listed is ignored.</summary>
    Task Record(ChatView chat);

    /// <summary>A chat whose opening was refused: nothing to list.</summary>
    Task Forget(string chatId);

    /// <summary>The chats of one fan, or all when null: open ones oldest first, then the latest ended, newest first.</summary>
    Task<IReadOnlyList<ChatView>> List(string? fanId);

    /// <summary>
    /// Stops <paramref name="fanId"/> opening chats with the celebrity until <paramref name="until"/> (null: until lifted).
    /// A repeat keeps the first block and takes the new end, so that a block can be made longer, shorter or lasting.
    /// Answers the block and the ids of the fan's chats still open, for the caller to end: the chats themselves call this
    /// grain, so it cannot call them. Null when <see cref="MaxBlocked"/> fans are blocked already.
    /// </summary>
    Task<ChatBlockOutcome?> Block(string fanId, string blockedBy, string? reason, DateTimeOffset? until);

    /// <summary>Lets the fan open chats again; false if it was not blocked.</summary>
    Task<bool> Unblock(string fanId);

    /// <summary>The block that stands against <paramref name="fanId"/> now, if any: the scheduler asks before a booking.</summary>
    Task<ChatBlock?> BlockOf(string fanId);

    /// <summary>The fans blocked now, latest first (a block that ran out is no longer one).</summary>
    Task<IReadOnlyList<ChatBlock>> ListBlocked();

    /// <summary>How quickly the celebrity answers, from the chats listed here (<c>Exchange.Domain.Redemption.ChatResponsiveness</c>).</summary>
    Task<ChatResponsivenessView> GetResponsiveness();
}
