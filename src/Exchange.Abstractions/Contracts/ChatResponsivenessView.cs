namespace Exchange.Abstractions.Contracts;

/// <summary>
/// How quickly a celebrity answers chats, over its latest decided chats (answered, or ended unanswered by its side or
/// by the clock): <see cref="AnsweredChats"/> of <see cref="DecidedChats"/>, and the median time to the first answer in
/// whole seconds (rounded up), null when none was answered.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChatResponsivenessView(
    [property: Id(0)] string CelebrityId,
    [property: Id(1)] int DecidedChats,
    [property: Id(2)] int AnsweredChats,
    [property: Id(3)] long? MedianAnswerSeconds);
