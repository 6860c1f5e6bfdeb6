using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;
using Exchange.Grains.State;

namespace Exchange.Cluster.Tests;

/// <summary>
/// Text chats paid in a celebrity's seconds, against a real cluster and PostgreSQL: what the fan holds, what a chat
/// uses by the clock, and that the audit balances after each way a chat ends. The class has its own cluster because
/// its tests move the clock by a day.
/// </summary>
public sealed class ChatSessionTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    private IChatSessionGrain Chat(string celebrityId, string chatId) => Exchange.Grains.GetGrain<IChatSessionGrain>(IChatSessionGrain.KeyOf(celebrityId, chatId));

    private IChatInboxGrain Inbox(string celebrityId) => Exchange.Grains.GetGrain<IChatInboxGrain>(celebrityId);

    private async Task<(long Available, long Held)> SecondsAsync(string fan, string celebrityId)
    {
        var holding = (await Exchange.Wallet(fan).GetSnapshot()).Holdings.Single(h => h.CelebrityId == celebrityId);
        return (holding.Available, holding.HeldForBookings);
    }

    private async Task<long> RedeemedAsync(string celebrityId) => (await Exchange.Celebrity(celebrityId).GetProfile())!.RedeemedSeconds;

    [Fact]
    public async Task A_chat_holds_the_fans_seconds_and_uses_only_those_from_the_first_answer_to_its_end()
    {
        await Exchange.GiveFanSecondsAsync("chat-star", "chat-fan", 500);
        var redeemedBefore = await RedeemedAsync("chat-star");

        var opened = await Chat("chat-star", "c1").Open("chat-fan", 300, "  Hello! Loved the last match.  ");
        Assert.Null(opened.Error);
        Assert.Equal((ChatView.Waiting, 300L, 0L), (opened.Chat!.Status, opened.Chat.HeldSeconds, opened.Chat.UsedSeconds));
        Assert.Equal("Hello! Loved the last match.", Assert.Single(opened.Chat.Messages).Text);
        Assert.Equal((200L, 300L), await SecondsAsync("chat-fan", "chat-star"));
        // Waiting for an answer costs nothing, however long.
        Exchange.Clock.Advance(TimeSpan.FromHours(3));
        Assert.Null((await Chat("chat-star", "c1").Post("chat-fan", false, "Are you there?")).Error);
        Assert.Equal(ChatView.Waiting, Assert.Single(await Inbox("chat-star").List(null)).Status);

        var answered = await Chat("chat-star", "c1").Post("star-agent", true, "Hi! Thanks, it was a tough one.");
        Assert.Equal((ChatView.Live, Exchange.Clock.GetUtcNow()), (answered.Chat!.Status, answered.Chat.AnsweredAt!.Value));
        Assert.Equal(Exchange.Clock.GetUtcNow().AddSeconds(300), answered.Chat.EndsAt);
        Exchange.Clock.Advance(TimeSpan.FromSeconds(90.5));
        Assert.Null((await Chat("chat-star", "c1").Post("chat-fan", false, "Thank you!")).Error);

        var ended = await Chat("chat-star", "c1").End("chat-fan", false);

        Assert.Equal((ChatView.Ended, "fan", 91L, 4), (ended.Chat!.Status, ended.Chat.EndedBy, ended.Chat.UsedSeconds, ended.Chat.MessageCount));
        Assert.Equal((409L, 0L), await SecondsAsync("chat-fan", "chat-star"));
        Assert.Equal(redeemedBefore + 91, await RedeemedAsync("chat-star"));
        Assert.Equal(new[] { "fan", "fan", "celebrity", "fan" }, ended.Chat.Messages.Select(message => message.From));
        var listed = Assert.Single(await Inbox("chat-star").List("chat-fan"));
        Assert.Equal((ChatView.Ended, 91L, 0), (listed.Status, listed.UsedSeconds, listed.Messages.Count));

        // Ended is ended: no more messages, and ending again is a replay that burns nothing more.
        Assert.Equal(ErrorCodes.ChatEnded, (await Chat("chat-star", "c1").Post("star-agent", true, "One more thing")).Error!.Code);
        Assert.True((await Chat("chat-star", "c1").End("star-agent", true)).WasReplay);
        Assert.Equal((409L, 0L), await SecondsAsync("chat-fan", "chat-star"));
        await Exchange.AssertAuditPassesAsync();

        // The end settled again, as a chat that crashed before recording it would, burns and returns nothing more.
        await Exchange.Grains.GetGrain<ISchedulerGrain>("chat-star").FinishChatSession("chat-session/chat-star/c1", "chat-fan", 91);
        await Exchange.Grains.GetGrain<ISchedulerGrain>("chat-star").FinishChatSession("chat-session/chat-star/c1", "chat-fan", 300);
        Assert.Equal((409L, 0L), await SecondsAsync("chat-fan", "chat-star"));
        Assert.Equal(redeemedBefore + 91, await RedeemedAsync("chat-star"));

        // What was said survives the chat's activation.
        await Exchange.DeactivateIdleGrainsAsync();
        Assert.Equal(4, (await Chat("chat-star", "c1").Get("chat-fan"))!.Messages.Count);
    }

    [Fact]
    public async Task Every_change_of_a_chat_is_published_on_its_celebritys_chats_stream_with_the_message_it_added()
    {
        await Exchange.GiveFanSecondsAsync("chat-stream-star", "chat-stream-fan", 100);
        await using var recording = await StreamRecording<ChatEvent>.StartAsync(Exchange, StreamNames.Chats, "chat-stream-star");

        Assert.Null((await Chat("chat-stream-star", "s1").Open("chat-stream-fan", 50, "Hello")).Error);
        Assert.Null((await Chat("chat-stream-star", "s1").Post("chat-stream-star", true, "Hi there")).Error);
        Assert.Null((await Chat("chat-stream-star", "s1").End("chat-stream-fan", false)).Error);

        var events = await recording.AtLeastAsync(3);
        Assert.Equal(new (string, string?, int)[] { (ChatView.Waiting, "Hello", 0), (ChatView.Live, "Hi there", 0), (ChatView.Ended, null, 0) },
            events.Select(e => (e.Chat.Status, e.Message?.Text, e.Chat.Messages.Count)));
        Assert.Equal(events.Select(e => e.Chat.Revision).Order(), events.Select(e => e.Chat.Revision));
    }

    [Fact]
    public async Task Chats_end_by_themselves_unanswered_idle_or_used_up_and_cost_only_their_talking()
    {
        await Exchange.GiveFanSecondsAsync("lapse-star", "lapse-fan", 4_000);
        var redeemedBefore = await RedeemedAsync("lapse-star");
        Assert.Null((await Chat("lapse-star", "unanswered").Open("lapse-fan", 100, "Hi?")).Error);
        Assert.Null((await Chat("lapse-star", "used-up").Open("lapse-fan", 60, "Quick question")).Error);
        Assert.Null((await Chat("lapse-star", "idle").Open("lapse-fan", 3_600, "Long question")).Error);
        Assert.Null((await Chat("lapse-star", "used-up").Post("lapse-star", true, "Go ahead")).Error);
        Assert.Null((await Chat("lapse-star", "idle").Post("lapse-star", true, "Go ahead")).Error);
        Exchange.Clock.Advance(TimeSpan.FromSeconds(20));
        var live = (await Chat("lapse-star", "idle").Post("lapse-fan", false, "Thanks, that was it")).Chat!;
        Assert.Equal((ChatView.Live, 20L), (live.Status, live.UsedSeconds)); // what it uses so far, to the last message
        Assert.Equal(Exchange.Clock.GetUtcNow().AddMinutes(5), live.EndsAt); // unless someone writes again
        Exchange.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Null((await Chat("lapse-star", "used-up").Post("lapse-fan", false, "And another thing...")).Error);
        Assert.Equal((240L, 3_760L), await SecondsAsync("lapse-fan", "lapse-star"));

        Exchange.Clock.Advance(TimeSpan.FromHours(25));

        var lapsed = (await Chat("lapse-star", "unanswered").Get("lapse-fan"))!;
        Assert.Equal((ChatView.Ended, "unanswered", 0L), (lapsed.Status, lapsed.EndedBy, lapsed.UsedSeconds));
        var usedUp = (await Chat("lapse-star", "used-up").Get(null))!;
        Assert.Equal((ChatView.Ended, "time", 50L), (usedUp.Status, usedUp.EndedBy, usedUp.UsedSeconds));
        Assert.Equal(usedUp.AnsweredAt!.Value.AddSeconds(60), usedUp.EndedAt);
        var idle = (await Chat("lapse-star", "idle").Get(null))!;
        Assert.Equal((ChatView.Ended, "idle", 20L), (idle.Status, idle.EndedBy, idle.UsedSeconds));
        Assert.Equal(live.EndsAt, idle.EndedAt);
        Assert.Equal((4_000L - 50 - 20, 0L), await SecondsAsync("lapse-fan", "lapse-star"));
        Assert.Equal(redeemedBefore + 70, await RedeemedAsync("lapse-star"));
        Assert.Equal(ErrorCodes.ChatEnded, (await Chat("lapse-star", "used-up").Post("lapse-fan", false, "Wait")).Error!.Code);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Bad_requests_are_refused_and_hold_nothing()
    {
        await Exchange.GiveFanSecondsAsync("strict-star", "strict-fan", 50);
        await Exchange.GiveFanSecondsAsync("strict-star", "other-fan", 50);

        Assert.Equal(ErrorCodes.InvalidQuantity, (await Chat("strict-star", "zero").Open("strict-fan", 0, "hi")).Error!.Code);
        Assert.Equal(ErrorCodes.InvalidQuantity, (await Chat("strict-star", "long").Open("strict-fan", 3_601, "hi")).Error!.Code);
        Assert.Equal(ErrorCodes.InvalidRequest, (await Chat("strict-star", "blank").Open("strict-fan", 5, "   ")).Error!.Code);
        Assert.Equal(ErrorCodes.InvalidRequest, (await Chat("strict-star", "essay").Open("strict-fan", 5, new string('x', 1_001))).Error!.Code);
        Assert.Equal(ErrorCodes.InsufficientSeconds, (await Chat("strict-star", "greedy").Open("strict-fan", 51, "hi")).Error!.Code);
        Assert.Equal(ErrorCodes.UnknownCelebrity, (await Chat("nobody-listed", "c").Open("strict-fan", 5, "hi")).Error!.Code);
        Assert.Equal((50L, 0L), await SecondsAsync("strict-fan", "strict-star"));
        Assert.Empty(await Inbox("strict-star").List(null));
        Assert.Null(await Chat("strict-star", "greedy").Get("strict-fan"));
        // A refused opening leaves its id free: the fan may open it again for what it holds.
        Assert.Null((await Chat("strict-star", "greedy").Open("strict-fan", 5, "hi")).Error);
        Assert.Equal(ChatView.Ended, (await Chat("strict-star", "greedy").End("strict-fan", false)).Chat!.Status);

        // A chat is its fan's: another fan cannot read, write in or end it, or take its id.
        var mine = await Chat("strict-star", "mine").Open("strict-fan", 5, "hi");
        Assert.True((await Chat("strict-star", "mine").Open("strict-fan", 5, "hi again")).WasReplay);
        Assert.Equal(ErrorCodes.DuplicateRequest, (await Chat("strict-star", "mine").Open("strict-fan", 6, "hi")).Error!.Code);
        Assert.Equal(ErrorCodes.DuplicateRequest, (await Chat("strict-star", "mine").Open("other-fan", 5, "hi")).Error!.Code);
        Assert.Null(await Chat("strict-star", "mine").Get("other-fan"));
        Assert.Equal(ErrorCodes.UnknownChat, (await Chat("strict-star", "mine").Post("other-fan", false, "hi")).Error!.Code);
        Assert.Equal(ErrorCodes.UnknownChat, (await Chat("strict-star", "mine").End("other-fan", false)).Error!.Code);
        Assert.Equal(ErrorCodes.InvalidRequest, (await Chat("strict-star", "mine").Post("strict-fan", false, new string('y', 1_001))).Error!.Code);
        Assert.Equal(ChatView.Waiting, (await Chat("strict-star", "mine").Get(null))!.Status);
        Assert.Equal(mine.Chat!.OpenedAt, (await Chat("strict-star", "mine").Get("strict-fan"))!.OpenedAt);

        // Three open chats with one celebrity at once; a fourth waits until one ends.
        Assert.Null((await Chat("strict-star", "second").Open("strict-fan", 5, "hi")).Error);
        Assert.Null((await Chat("strict-star", "third").Open("strict-fan", 5, "hi")).Error);
        Assert.Equal(ErrorCodes.TooManyChats, (await Chat("strict-star", "fourth").Open("strict-fan", 5, "hi")).Error!.Code);
        Assert.Null((await Chat("strict-star", "other").Open("other-fan", 5, "hi")).Error);
        var declined = (await Chat("strict-star", "second").End("strict-star", true)).Chat!;
        Assert.Equal((ChatView.Ended, "celebrity", 0L), (declined.Status, declined.EndedBy, declined.UsedSeconds));
        Assert.Null((await Chat("strict-star", "fourth").Open("strict-fan", 5, "hi")).Error);
        Assert.Equal((35L, 15L), await SecondsAsync("strict-fan", "strict-star"));

        // A suspended account opens no chat.
        await Exchange.Wallet("other-fan").Suspend("review");
        Assert.Equal(ErrorCodes.AccountSuspended, (await Chat("strict-star", "suspended").Open("other-fan", 5, "hi")).Error!.Code);
        await Exchange.Wallet("other-fan").Reinstate();
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_block_for_some_hours_ends_by_itself_and_a_repeat_changes_how_long_it_lasts()
    {
        var inbox = Inbox("timing-out-star");
        var blockedAt = Exchange.Clock.GetUtcNow();
        var first = await inbox.Block("rude-fan", "timing-out-agent", "shouting", blockedAt.AddHours(1));
        var lengthened = await inbox.Block("rude-fan", "another-agent", null, blockedAt.AddHours(2));
        await inbox.Block("lasting-fan", "timing-out-agent", null, blockedAt.AddHours(1));
        var madeLasting = await inbox.Block("lasting-fan", "timing-out-agent", null, null);

        Assert.Equal(ErrorCodes.ChatBlocked, (await inbox.Admit("rude-1", "rude-fan"))!.Code);
        Exchange.Clock.Advance(TimeSpan.FromMinutes(90));
        // Past the first end, the repeat's later one still holds; the first block's author, time and reason stay.
        Assert.Equal(ErrorCodes.ChatBlocked, (await inbox.Admit("rude-2", "rude-fan"))!.Code);
        Assert.Equal(ErrorCodes.ChatBlocked, (await inbox.Admit("lasting-1", "lasting-fan"))!.Code);
        Assert.Equal(new ChatBlock("rude-fan", "timing-out-agent", blockedAt, "shouting", blockedAt.AddHours(2)), lengthened!.Block);
        Assert.Equal(blockedAt.AddHours(1), first!.Block.Until);
        Assert.Null(madeLasting!.Block.Until);
        Exchange.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Null(await inbox.Admit("rude-3", "rude-fan"));
        Assert.Equal(["lasting-fan"], (await inbox.ListBlocked()).Select(block => block.FanId));
        Assert.Equal(ErrorCodes.ChatBlocked, (await inbox.Admit("lasting-2", "lasting-fan"))!.Code);
    }

    [Fact]
    public async Task A_celebritys_inbox_takes_a_bounded_number_of_open_chats_and_a_cut_short_opening_frees_its_place()
    {
        var inbox = Inbox("crowded-star");
        for (var i = 0; i < IChatInboxGrain.MaxOpen; i++)
        {
            Assert.Null(await inbox.Admit($"chat-{i}", $"crowd-fan-{i}"));
        }

        Assert.Equal(ErrorCodes.TooManyChats, (await inbox.Admit("one-too-many", "late-fan"))!.Code);
        await inbox.Forget("chat-0");
        Assert.Null(await inbox.Admit("one-too-many", "late-fan"));
        // An admission whose opening never finished (a crash) stops holding its place after a minute.
        Assert.Equal(ErrorCodes.TooManyChats, (await inbox.Admit("later", "later-fan"))!.Code);
        Exchange.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await inbox.Admit("later", "later-fan"));
    }

    [Fact]
    public async Task Answers_lost_while_a_chat_opens_or_ends_hold_and_burn_its_seconds_once()
    {
        await Exchange.GiveFanSecondsAsync("lossy-star", "lossy-fan", 100);
        var redeemedBefore = await RedeemedAsync("lossy-star");

        // The wallet held the seconds but the chat never heard: asked again, it finds the hold made, not a second one.
        LostAnswers.LoseNext<IWalletGrain>("lossy-fan", nameof(IWalletGrain.HoldForBooking));
        await Assert.ThrowsAsync<TimeoutException>(() => Chat("lossy-star", "c").Open("lossy-fan", 40, "hello?"));
        Assert.Equal((60L, 40L), await SecondsAsync("lossy-fan", "lossy-star"));
        var reopened = await Chat("lossy-star", "c").Open("lossy-fan", 40, "hello?");
        Assert.Equal((true, ChatView.Waiting), (reopened.WasReplay, reopened.Chat!.Status));
        Assert.Equal((60L, 40L), await SecondsAsync("lossy-fan", "lossy-star"));
        Assert.Null((await Chat("lossy-star", "c").Post("lossy-star", true, "hi!")).Error);

        // The burn's answer lost inside the scheduler: the audit finishes what it began, and ending again changes nothing more.
        LostAnswers.LoseNext<IWalletGrain>("lossy-fan", nameof(IWalletGrain.SettleChatHold));
        await Assert.ThrowsAsync<TimeoutException>(() => Chat("lossy-star", "c").End("lossy-fan", false));
        await Exchange.AssertAuditPassesAsync();
        var ended = await Chat("lossy-star", "c").End("lossy-fan", false);
        Assert.Equal(ChatView.Ended, ended.Chat!.Status);
        var used = ended.Chat.UsedSeconds;
        Assert.InRange(used, 1, 40);
        Assert.Equal((100 - used, 0L), await SecondsAsync("lossy-fan", "lossy-star"));
        Assert.Equal(redeemedBefore + used, await RedeemedAsync("lossy-star"));

        // The scheduler settled a second chat but its answer never reached the chat: reading the chat settles it again, harmlessly.
        Assert.Null((await Chat("lossy-star", "d").Open("lossy-fan", 30, "again")).Error);
        Assert.Null((await Chat("lossy-star", "d").Post("lossy-star", true, "yes?")).Error);
        LostAnswers.LoseNext<ISchedulerGrain>("lossy-star", nameof(ISchedulerGrain.FinishChatSession));
        await Assert.ThrowsAsync<TimeoutException>(() => Chat("lossy-star", "d").End("lossy-fan", false));
        var second = (await Chat("lossy-star", "d").Get("lossy-fan"))!;
        Assert.Equal(ChatView.Ended, second.Status);
        Assert.Equal((100 - used - second.UsedSeconds, 0L), await SecondsAsync("lossy-fan", "lossy-star"));
        Assert.Equal(redeemedBefore + used + second.UsedSeconds, await RedeemedAsync("lossy-star"));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_wallet_keeps_only_the_latest_ended_chats_holds_so_a_chatty_fans_state_stays_small()
    {
        await Exchange.GiveFanSecondsAsync("chatty-star", "chatty-fan", 100);
        for (var i = 0; i < WalletState.SettledChatHoldsKept + 5; i++)
        {
            Assert.Null((await Chat("chatty-star", $"n{i}").Open("chatty-fan", 1, "hi")).Error);
            Assert.Null((await Chat("chatty-star", $"n{i}").End("chatty-fan", false)).Error);
            Exchange.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Null((await Chat("chatty-star", "open-one").Open("chatty-fan", 1, "still here?")).Error);

        var holds = (await Exchange.Wallet("chatty-fan").GetBookings()).Where(hold => hold.Kind == Domain.Redemption.SlotKind.TextChat).ToList();
        Assert.Equal(WalletState.SettledChatHoldsKept + 1, holds.Count);
        Assert.Contains(holds, hold => hold.SlotId == "open-one" && hold.Status == "held");
        Assert.DoesNotContain(holds, hold => hold.SlotId == "n0");
        Assert.Contains(holds, hold => hold.SlotId == $"n{WalletState.SettledChatHoldsKept + 4}");
        // Ending a chat whose hold was forgotten is still a replay, and the seconds add up.
        Assert.True((await Chat("chatty-star", "n0").End("chatty-fan", false)).WasReplay);
        Assert.Equal((99L, 1L), await SecondsAsync("chatty-fan", "chatty-star"));
        await Exchange.AssertAuditPassesAsync();
    }
}
