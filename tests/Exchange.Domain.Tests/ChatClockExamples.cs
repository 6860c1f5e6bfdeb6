using Exchange.Domain.Redemption;
using Exchange.Domain.Units;

namespace Exchange.Domain.Tests;

public class ChatClockExamples
{
    private static readonly DateTimeOffset Opened = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static ChatClock Clock(DateTimeOffset? answered, long held = 300) => new(Opened, answered, new Seconds(held), TimeSpan.FromHours(24));

    [Fact]
    public void An_unanswered_chat_uses_nothing_and_lapses_after_the_answer_window()
    {
        var clock = Clock(answered: null);

        Assert.Equal(Seconds.Zero, clock.UsedWhenEndedAt(Opened.AddHours(23)));
        Assert.Equal(Opened.AddHours(24), clock.EndsAt);
        Assert.False(clock.HasRunOut(Opened.AddHours(24).AddTicks(-1)));
        Assert.True(clock.HasRunOut(Opened.AddHours(24)));
    }

    [Fact]
    public void The_clock_runs_from_the_first_answer_and_rounds_up_to_whole_seconds()
    {
        var answered = Opened.AddMinutes(30);
        var clock = Clock(answered);

        Assert.Equal(new Seconds(1), clock.UsedWhenEndedAt(answered)); // ended at once: the least a chat costs
        Assert.Equal(new Seconds(1), clock.UsedWhenEndedAt(answered.AddMilliseconds(1)));
        Assert.Equal(new Seconds(90), clock.UsedWhenEndedAt(answered.AddSeconds(90)));
        Assert.Equal(new Seconds(91), clock.UsedWhenEndedAt(answered.AddSeconds(90).AddTicks(1)));
    }

    [Fact]
    public void A_chat_never_uses_more_than_it_held_and_runs_out_when_they_are_used()
    {
        var answered = Opened.AddMinutes(5);
        var clock = Clock(answered, held: 120);

        Assert.Equal(answered.AddSeconds(120), clock.EndsAt);
        Assert.True(clock.HasRunOut(answered.AddSeconds(120)));
        Assert.Equal(new Seconds(120), clock.UsedWhenEndedAt(answered.AddDays(3)));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(-5, false)]
    [InlineData(1, true)]
    [InlineData(3_600, true)]
    [InlineData(3_601, false)]
    [InlineData(long.MaxValue, false)]
    public void A_chat_holds_between_one_second_and_an_hour(long held, bool valid) =>
        Assert.Equal(valid, ChatClock.IsValidHold(new Seconds(held)));
}
