using Exchange.Abstractions.Contracts;

namespace Exchange.Grains.State;

public enum ChatStage
{
    /// <summary>Nothing yet, or an opening refused.</summary>
    None,

    /// <summary>Written before the fan's seconds are held; a crash leaves it for the next call or reminder to finish.</summary>
    Opening,
    Waiting,
    Live,

    /// <summary>Its end decided and written; the seconds used not yet burned (or the rest not yet returned).</summary>
    Ending,
    Ended,
}

[GenerateSerializer]
public sealed class ChatSessionState
{
    [Id(0)] public string FanId { get; set; } = "";
    [Id(1)] public long HeldSeconds { get; set; }
    [Id(2)] public ChatStage Stage { get; set; }
    [Id(3)] public DateTimeOffset OpenedAt { get; set; }
    [Id(4)] public DateTimeOffset? AnsweredAt { get; set; }
    [Id(5)] public DateTimeOffset? EndedAt { get; set; }
    [Id(6)] public string? EndedBy { get; set; }
    [Id(7)] public long UsedSeconds { get; set; }
    [Id(8)] public List<ChatMessage> Messages { get; set; } = [];
    [Id(9)] public int Revision { get; set; }
}

[GenerateSerializer]
public sealed class ChatInboxState
{
    [Id(0)] public Dictionary<string, ChatView> Chats { get; set; } = new();

    /// <summary>Chats admitted and not yet recorded, with when: they hold a place for a minute.</summary>
    [Id(1)] public Dictionary<string, ChatAdmission> Admitted { get; set; } = new();

    /// <summary>Fans the celebrity's side stopped from opening chats, by fan id.</summary>
    [Id(2)] public Dictionary<string, ChatBlock> Blocked { get; set; } = new();
}

[GenerateSerializer]
public sealed record ChatAdmission([property: Id(0)] string FanId, [property: Id(1)] DateTimeOffset At);
