using Exchange.Domain.Redemption;
using Exchange.Domain.Units;

namespace Exchange.Domain.Tests;

public class ChatClockExamples
{
    private static readonly DateTimeOffset Opened = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static ChatClock Clock(DateTimeOffset? answered, DateTimeOffset? lastMessage = null, long held = 300) =>
        new(Opened, answered, lastMessage ?? answered ?? Opened, new Seconds(held), TimeSpan.FromHours(24), TimeSpan.FromMinutes(5));

    [Fact]
    public void An_unanswered_chat_uses_nothing_and_lapses_after_the_answer_window_whatever_the_fan_wrote()
    {
        var clock = Clock(answered: null, lastMessage: Opened.AddHours(2));

        Assert.Equal(Seconds.Zero, clock.Used);
        Assert.Equal(Opened.AddHours(24), clock.EndsAt);
        Assert.False(clock.HasRunOut(Opened.AddHours(24).AddTicks(-1)));
        Assert.True(clock.HasRunOut(Opened.AddHours(24)));
        Assert.Equal("unanswered", clock.EndedBy);
    }

    [Fact]
    public void A_chat_uses_the_time_from_the_first_answer_to_its_last_message_rounded_up_to_whole_seconds()
    {
        var answered = Opened.AddMinutes(30);

        Assert.Equal(new Seconds(1), Clock(answered).Used); // answered and nothing more: the least a chat costs
        Assert.Equal(new Seconds(1), Clock(answered, answered.AddMilliseconds(1)).Used);
        Assert.Equal(new Seconds(90), Clock(answered, answered.AddSeconds(90)).Used);
        Assert.Equal(new Seconds(91), Clock(answered, answered.AddSeconds(90).AddTicks(1)).Used);
    }

    [Fact]
    public void A_chat_nobody_writes_in_ends_when_idle_and_costs_only_its_talking()
    {
        var answered = Opened.AddMinutes(5);
        var clock = Clock(answered, answered.AddSeconds(40), held: 3_600);

        Assert.Equal(answered.AddSeconds(40) + TimeSpan.FromMinutes(5), clock.EndsAt);
        Assert.Equal("idle", clock.EndedBy);
        Assert.Equal(new Seconds(40), clock.Used);
    }

    [Fact]
    public void A_chat_never_uses_more_than_it_held_and_ends_when_they_are_used_up()
    {
        var answered = Opened.AddMinutes(5);
        var clock = Clock(answered, answered.AddSeconds(100), held: 120);

        Assert.Equal(answered.AddSeconds(120), clock.EndsAt);
        Assert.Equal("time", clock.EndedBy);
        Assert.True(clock.HasRunOut(answered.AddSeconds(120)));
        Assert.Equal(new Seconds(120), Clock(answered, answered.AddSeconds(500), held: 120).Used);
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
