namespace Exchange.Domain.Redemption;

/// <summary>How a chat went, as far as the celebrity's answering goes.</summary>
/// <param name="EndedBy">Who or what ended it; null while it is open.</param>
public readonly record struct ChatOutcome(DateTimeOffset OpenedAt, DateTimeOffset? AnsweredAt, string? EndedBy);

/// <summary>
/// How quickly a celebrity answers chats, for fans deciding whether to open one: over its latest <see cref="Window"/>
/// decided chats, how many it answered and the median time to the first answer. A chat is decided once answered, or
/// once it ended unanswered through the celebrity's side (it lapsed, or the side ended it); a chat the fan gave up on
/// first, or one still waiting, says nothing about the celebrity yet.
/// </summary>
public sealed record ChatResponsiveness(int Decided, int Answered, TimeSpan? MedianAnswerTime)
{
    public const int Window = 50;

    public static ChatResponsiveness Of(IEnumerable<ChatOutcome> chats)
    {
        var decided = chats.Where(IsDecided).OrderByDescending(chat => chat.OpenedAt).Take(Window).ToList();
        var answerTimes = decided.Where(chat => chat.AnsweredAt is not null).Select(chat => chat.AnsweredAt!.Value - chat.OpenedAt).Order().ToList();
        return new ChatResponsiveness(decided.Count, answerTimes.Count, Median(answerTimes));
    }

    private static bool IsDecided(ChatOutcome chat) => chat.AnsweredAt is not null || chat.EndedBy is "unanswered" or "celebrity";

    private static TimeSpan? Median(IReadOnlyList<TimeSpan> sorted) => sorted.Count switch
    {
        0 => null,
        var count when count % 2 == 1 => sorted[count / 2],
        var count => TimeSpan.FromTicks((sorted[(count / 2) - 1].Ticks + sorted[count / 2].Ticks) / 2),
    };
}
