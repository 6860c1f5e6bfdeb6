using Exchange.Domain.Redemption;

namespace Exchange.Domain.Tests;

public class ChatResponsivenessExamples
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static ChatOutcome AnsweredAfter(int minutes, int openedMinute = 0) =>
        new(Start.AddMinutes(openedMinute), Start.AddMinutes(openedMinute + minutes), null);

    [Fact]
    public void No_decided_chat_tells_nothing_yet()
    {
        var result = ChatResponsiveness.Of([new ChatOutcome(Start, null, null), new ChatOutcome(Start, null, "fan")]);

        Assert.Equal(new ChatResponsiveness(0, 0, null), result);
    }

    [Fact]
    public void The_median_answer_time_is_the_middle_one_or_halfway_between_the_middle_two()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), ChatResponsiveness.Of([AnsweredAfter(1), AnsweredAfter(5), AnsweredAfter(600)]).MedianAnswerTime);
        Assert.Equal(TimeSpan.FromMinutes(4), ChatResponsiveness.Of([AnsweredAfter(1), AnsweredAfter(3), AnsweredAfter(5), AnsweredAfter(600)]).MedianAnswerTime);
    }

    [Fact]
    public void Lapsed_and_declined_chats_count_against_the_celebrity_and_a_fan_giving_up_first_does_not()
    {
        var result = ChatResponsiveness.Of(
        [
            AnsweredAfter(2),
            new ChatOutcome(Start, null, "unanswered"),
            new ChatOutcome(Start, null, "celebrity"),
            new ChatOutcome(Start, null, "fan"),
            new ChatOutcome(Start, null, null),
            new ChatOutcome(Start, Start.AddMinutes(8), "fan"), // answered, then the fan ended it: answered
        ]);

        Assert.Equal(new ChatResponsiveness(4, 2, TimeSpan.FromMinutes(5)), result);
    }

    [Fact]
    public void Only_the_latest_decided_chats_count_so_a_celebrity_that_improved_shows_it()
    {
        var old = Enumerable.Range(0, 100).Select(i => new ChatOutcome(Start.AddMinutes(i), null, "unanswered"));
        var recent = Enumerable.Range(0, ChatResponsiveness.Window).Select(i => AnsweredAfter(3, openedMinute: 1_000 + i));

        var result = ChatResponsiveness.Of(old.Concat(recent));

        Assert.Equal(new ChatResponsiveness(ChatResponsiveness.Window, ChatResponsiveness.Window, TimeSpan.FromMinutes(3)), result);
    }
}
