using System.Globalization;

namespace Exchange.Abstractions.Contracts;

/// <summary>
/// A text chat between a fan and a celebrity (or its agent), paid in the celebrity's seconds. <see cref="Status"/>:
/// "waiting" for the celebrity's first answer, "live" from it, "ended". It ends by itself at <see cref="EndsAt"/>
/// (unanswered, idle, or its held seconds used up; a message while live moves an idle end later). <see cref="EndedBy"/>:
/// "fan", "celebrity", "time" (the held seconds used up), "idle" (nobody wrote for a while) or "unanswered".
/// <see cref="UsedSeconds"/> (so far, while live) run from the first answer to the last message; they are burned when it
/// ends and the rest of <see cref="HeldSeconds"/> returns to the fan. Lists carry no <see cref="Messages"/>.
/// <see cref="LastMessageFrom"/> ("fan" or "celebrity") says whose turn it is: an agent answering many chats looks first
/// at those where the fan spoke last.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChatView(
    [property: Id(0)] string CelebrityId,
    [property: Id(1)] string ChatId,
    [property: Id(2)] string FanId,
    [property: Id(3)] long HeldSeconds,
    [property: Id(4)] string Status,
    [property: Id(5)] DateTimeOffset OpenedAt,
    [property: Id(6)] DateTimeOffset? AnsweredAt,
    [property: Id(7)] DateTimeOffset EndsAt,
    [property: Id(8)] DateTimeOffset? EndedAt,
    [property: Id(9)] string? EndedBy,
    [property: Id(10)] long UsedSeconds,
    [property: Id(11)] int MessageCount,
    [property: Id(12)] IReadOnlyList<ChatMessage> Messages,
    [property: Id(13)] int Revision,
    [property: Id(14)] string? LastMessageFrom = null)
{
    public const string Waiting = "waiting";
    public const string Live = "live";
    public const string Ended = "ended";

    public bool IsOpen => Status != Ended;
}

/// <summary>One message; <see cref="From"/> is "fan" or "celebrity" (the celebrity, its agent or an operator for it).</summary>
[GenerateSerializer, Immutable]
public sealed record ChatMessage(
    [property: Id(0)] string From,
    [property: Id(1)] string AuthorId,
    [property: Id(2)] string Text,
    [property: Id(3)] DateTimeOffset At);

[GenerateSerializer, Immutable]
public sealed record ChatResult(
    [property: Id(0)] ChatView? Chat,
    [property: Id(1)] bool WasReplay,
    [property: Id(2)] ExchangeError? Error)
{
    public static ChatResult Refused(string code, string message) => new(null, false, new ExchangeError(code, message));
}

/// <summary>A block as it stands, and the ids of the fan's chats still open (or opening), which the caller ends.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatBlockOutcome([property: Id(0)] ChatBlock Block, [property: Id(1)] IReadOnlyList<string> OpenChatIds);

/// <summary>
/// A fan the celebrity's side stopped from opening chats with the celebrity: who did it, when, why if it said, and until
/// when (null: until lifted).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChatBlock(
    [property: Id(0)] string FanId,
    [property: Id(1)] string BlockedBy,
    [property: Id(2)] DateTimeOffset BlockedAt,
    [property: Id(3)] string? Reason,
    [property: Id(4)] DateTimeOffset? Until = null)
{
    public bool StandsAt(DateTimeOffset now) => Until is null || now < Until;

    /// <summary>What a refusal tells the fan about how long the block lasts: until when, or nothing for one until lifted.</summary>
    public string Ending() => Until is { } ends ? $" until {ends.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}" : "";
}
