using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Cluster.Tests.Infrastructure;
using Exchange.Domain.Orders;
using Exchange.Domain.Redemption;

namespace Exchange.Cluster.Tests;

public class RedemptionTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private ExchangeCluster Exchange => fixture.Exchange;

    private DateTimeOffset Now => Exchange.Clock.GetUtcNow();

    private ISchedulerGrain Scheduler(string celebrityId) => Exchange.Grains.GetGrain<ISchedulerGrain>(celebrityId);

    private async Task<SlotView> PublishAsync(string celebrityId, string slotId, SlotKind kind, TimeSpan startsIn, long seconds = 0)
    {
        var result = await Scheduler(celebrityId).Publish(new SlotRequest(slotId, Now + startsIn, TimeSpan.FromMinutes(30), kind, kind == SlotKind.MeetUp ? "Shanghai, Bund 18" : null, seconds));
        Assert.Null(result.Error);
        return result.Slot!;
    }

    private async Task<HoldingView> HoldingAsync(string fan, string celebrityId) =>
        (await Exchange.Wallet(fan).GetSnapshot()).Holdings.Single(h => h.CelebrityId == celebrityId);

    [Theory]
    [InlineData(SlotKind.VideoCall, 599, false)]
    [InlineData(SlotKind.VideoCall, 600, true)]
    [InlineData(SlotKind.MeetUp, 7_499, false)]
    [InlineData(SlotKind.MeetUp, 7_500, true)]
    public async Task Booking_needs_the_tiers_minimum_seconds(SlotKind kind, long owned, bool booked)
    {
        var fan = $"tier-fan-{kind}-{owned}";
        await Exchange.GiveFanSecondsAsync("tier-star", fan, owned);
        // One slot per case, each in its own hour: a celebrity's slots may not overlap.
        var hour = (kind == SlotKind.MeetUp ? 10 : 0) + owned % 10;
        await PublishAsync("tier-star", $"slot-{kind}-{owned}", kind, TimeSpan.FromDays(3) + TimeSpan.FromHours(hour));

        var result = await Scheduler("tier-star").Book($"slot-{kind}-{owned}", fan);

        var holding = await HoldingAsync(fan, "tier-star");
        if (booked)
        {
            Assert.Equal(SlotStatus.Booked, result.Slot!.Status);
            Assert.Equal((0L, owned), (holding.Available, holding.HeldForBookings));
        }
        else
        {
            Assert.Equal(ErrorCodes.InsufficientSeconds, result.Error!.Code);
            Assert.Equal((owned, 0L), (holding.Available, holding.HeldForBookings));
        }

        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Seconds_reserved_by_sell_orders_cannot_be_used_to_book()
    {
        await Exchange.GiveFanSecondsAsync("reserved-star", "reserved-fan", 700);
        await Exchange.LimitAsync("reserved-fan", "reserved-star", Side.Sell, 11, 200);
        await PublishAsync("reserved-star", "v1", SlotKind.VideoCall, TimeSpan.FromDays(2));

        var result = await Scheduler("reserved-star").Book("v1", "reserved-fan");

        Assert.Equal(ErrorCodes.InsufficientSeconds, result.Error!.Code);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_sell_of_more_than_is_available_says_where_the_rest_of_the_seconds_are()
    {
        await Exchange.GiveFanSecondsAsync("where-star", "where-fan", 900);
        await Exchange.LimitAsync("where-fan", "where-star", Side.Sell, 11, 200);
        await PublishAsync("where-star", "v1", SlotKind.VideoCall, TimeSpan.FromDays(2));
        Assert.Null((await Scheduler("where-star").Book("v1", "where-fan")).Error); // holds 600 s

        var refused = await Exchange.LimitAsync("where-fan", "where-star", Side.Sell, 11, 101);

        Assert.Equal(ErrorCodes.InsufficientSeconds, refused.Error!.Code);
        Assert.Equal("The order sells 101 s of 'where-star'; 100 s are available (200 s more are reserved by open sell orders and 600 s held for bookings).",
            refused.Error.Message);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_fan_booking_its_own_slot_again_gets_the_same_booking_and_holds_the_seconds_once()
    {
        await Exchange.GiveFanSecondsAsync("again-star", "again-fan", 1_200);
        await Exchange.GiveFanSecondsAsync("again-star", "again-rival", 600);
        await PublishAsync("again-star", "v1", SlotKind.VideoCall, TimeSpan.FromDays(2));

        var first = await Scheduler("again-star").Book("v1", "again-fan");
        var repeated = await Scheduler("again-star").Book("v1", "again-fan");
        var rival = await Scheduler("again-star").Book("v1", "again-rival");

        Assert.Null(first.Error);
        Assert.Null(repeated.Error);
        Assert.Equal(("again-fan", SlotStatus.Booked), (repeated.Slot!.FanId, repeated.Slot.Status));
        Assert.Equal(ErrorCodes.SlotUnavailable, rival.Error!.Code);
        Assert.Equal((600L, 600L), ((await HoldingAsync("again-fan", "again-star")).Available, (await HoldingAsync("again-fan", "again-star")).HeldForBookings));
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Many_fans_racing_for_one_slot_get_exactly_one_booking()
    {
        var fans = Enumerable.Range(1, 12).Select(i => $"race-fan-{i}").ToList();
        foreach (var fan in fans)
        {
            await Exchange.GiveFanSecondsAsync("race-star", fan, 600);
        }

        await PublishAsync("race-star", "the-slot", SlotKind.VideoCall, TimeSpan.FromDays(2));

        var results = await Task.WhenAll(fans.Select(fan => Scheduler("race-star").Book("the-slot", fan)));

        var winner = Assert.Single(results, r => r.Error is null);
        Assert.All(results.Where(r => r.Error is not null), r => Assert.Equal(ErrorCodes.SlotUnavailable, r.Error!.Code));
        var held = new List<long>();
        foreach (var fan in fans)
        {
            held.Add((await HoldingAsync(fan, "race-star")).HeldForBookings);
        }

        Assert.Equal(600, held.Sum());
        Assert.Equal(600, (await HoldingAsync(winner.Slot!.FanId!, "race-star")).HeldForBookings);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_fan_cancelling_before_the_cutoff_gets_the_seconds_back_and_the_slot_reopens()
    {
        await Exchange.GiveFanSecondsAsync("cancel-star", "early-fan", 600);
        await PublishAsync("cancel-star", "c1", SlotKind.VideoCall, TimeSpan.FromHours(25));
        await Scheduler("cancel-star").Book("c1", "early-fan");

        var cancelled = await Scheduler("cancel-star").CancelByFan("c1", "early-fan");

        Assert.Equal(SlotStatus.Open, cancelled.Slot!.Status);
        Assert.Equal((600L, 0L), ((await HoldingAsync("early-fan", "cancel-star")).Available, (await HoldingAsync("early-fan", "cancel-star")).HeldForBookings));
        Assert.Equal("released", Assert.Single(await Exchange.Wallet("early-fan").GetBookings()).Status);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_fan_cannot_cancel_after_the_cutoff_nor_cancel_someone_elses_booking()
    {
        await Exchange.GiveFanSecondsAsync("late-star", "late-fan", 600);
        await PublishAsync("late-star", "l1", SlotKind.VideoCall, TimeSpan.FromHours(23));
        await Scheduler("late-star").Book("l1", "late-fan");

        var late = await Scheduler("late-star").CancelByFan("l1", "late-fan");
        var other = await Scheduler("late-star").CancelByFan("l1", "someone-else");

        Assert.Equal(ErrorCodes.CancellationClosed, late.Error!.Code);
        Assert.Equal(ErrorCodes.NotYourBooking, other.Error!.Code);
        Assert.Equal(600, (await HoldingAsync("late-fan", "late-star")).HeldForBookings);
    }

    [Fact]
    public async Task A_fan_repeating_a_cancellation_is_answered_as_done_without_seeing_who_booked_next()
    {
        await Exchange.GiveFanSecondsAsync("recancel-star", "recancel-fan", 600);
        await Exchange.GiveFanSecondsAsync("recancel-star", "recancel-next", 600);
        await PublishAsync("recancel-star", "r1", SlotKind.VideoCall, TimeSpan.FromDays(2));
        await Scheduler("recancel-star").Book("r1", "recancel-fan");
        await Scheduler("recancel-star").CancelByFan("r1", "recancel-fan");

        var repeated = await Scheduler("recancel-star").CancelByFan("r1", "recancel-fan");
        var stranger = await Scheduler("recancel-star").CancelByFan("r1", "recancel-stranger");
        await Scheduler("recancel-star").Book("r1", "recancel-next");
        var repeatedAfterAnotherBooked = await Scheduler("recancel-star").CancelByFan("r1", "recancel-fan");

        Assert.Equal((SlotStatus.Open, true), (repeated.Slot!.Status, repeated.WasReplay));
        Assert.Equal(ErrorCodes.NotYourBooking, stranger.Error!.Code);
        Assert.Equal((SlotStatus.Booked, null, true), (repeatedAfterAnotherBooked.Slot!.Status, repeatedAfterAnotherBooked.Slot.FanId, repeatedAfterAnotherBooked.WasReplay));
        Assert.Equal((600L, 0L), ((await HoldingAsync("recancel-fan", "recancel-star")).Available, (await HoldingAsync("recancel-fan", "recancel-star")).HeldForBookings));
        Assert.Equal(600, (await HoldingAsync("recancel-next", "recancel-star")).HeldForBookings);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_fan_cancelling_a_booking_the_celebrity_already_cancelled_is_told_so()
    {
        await Exchange.GiveFanSecondsAsync("called-off-star", "called-off-fan", 600);
        await PublishAsync("called-off-star", "o1", SlotKind.VideoCall, TimeSpan.FromDays(2));
        await Scheduler("called-off-star").Book("o1", "called-off-fan");
        await Scheduler("called-off-star").CancelByCelebrity("o1");

        var cancelled = await Scheduler("called-off-star").CancelByFan("o1", "called-off-fan");

        Assert.Equal(ErrorCodes.SlotUnavailable, cancelled.Error!.Code);
        Assert.Contains("celebrity cancelled", cancelled.Error.Message, StringComparison.Ordinal);
        Assert.Equal(600, (await HoldingAsync("called-off-fan", "called-off-star")).Available);
    }

    [Fact]
    public async Task The_celebrity_cancelling_returns_the_fans_seconds()
    {
        await Exchange.GiveFanSecondsAsync("flaky-star", "let-down-fan", 7_500);
        await PublishAsync("flaky-star", "m1", SlotKind.MeetUp, TimeSpan.FromHours(2));
        await Scheduler("flaky-star").Book("m1", "let-down-fan");

        var cancelled = await Scheduler("flaky-star").CancelByCelebrity("m1");
        var repeated = await Scheduler("flaky-star").CancelByCelebrity("m1");

        Assert.Equal(SlotStatus.Cancelled, cancelled.Slot!.Status);
        Assert.Equal((SlotStatus.Cancelled, true), (repeated.Slot!.Status, repeated.WasReplay));
        Assert.Equal(7_500, (await HoldingAsync("let-down-fan", "flaky-star")).Available);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Slots_of_one_celebrity_cannot_overlap_until_one_is_withdrawn()
    {
        await Exchange.ListAndIssueAsync("busy-star", 1_000, 10);
        var call = await PublishAsync("busy-star", "call", SlotKind.VideoCall, TimeSpan.FromDays(2));
        SlotRequest MeetUpAt(DateTimeOffset start) => new("meet", start, TimeSpan.FromHours(1), SlotKind.MeetUp, "Shanghai, Bund 18", 0);

        var clash = await Scheduler("busy-star").Publish(MeetUpAt(call.Start.AddMinutes(29)));
        var backToBack = await Scheduler("busy-star").Publish(MeetUpAt(call.Start.AddMinutes(30)) with { SlotId = "meet-after" });
        await Scheduler("busy-star").CancelByCelebrity("call");
        var afterWithdrawal = await Scheduler("busy-star").Publish(MeetUpAt(call.Start.AddMinutes(-59)));

        Assert.Equal(ErrorCodes.SlotOverlaps, clash.Error!.Code);
        Assert.Contains("'call'", clash.Error.Message);
        Assert.Null(backToBack.Error);
        Assert.Null(afterWithdrawal.Error);
        Assert.Equal(["meet", "meet-after"], (await Scheduler("busy-star").GetSlots(includeClosed: false)).Select(slot => slot.SlotId));
    }

    [Fact]
    public async Task A_slot_more_than_a_year_ahead_is_refused_and_publishing_goes_on()
    {
        await Exchange.ListAndIssueAsync("far-star", 1_000, 10);
        SlotRequest CallAt(string id, DateTimeOffset start) => new(id, start, TimeSpan.FromMinutes(20), SlotKind.VideoCall, null, 0);

        var endOfTime = await Scheduler("far-star").Publish(CallAt("end-of-time", new DateTimeOffset(9999, 12, 31, 23, 50, 0, TimeSpan.Zero)));
        var nextYear = await Scheduler("far-star").Publish(CallAt("next-year", Now + BookingRules.MaxLeadTime - TimeSpan.FromHours(1)));
        var tomorrow = await Scheduler("far-star").Publish(CallAt("tomorrow", Now + TimeSpan.FromDays(1)));

        Assert.Equal(ErrorCodes.InvalidRequest, endOfTime.Error!.Code);
        Assert.Null(nextYear.Error);
        Assert.Null(tomorrow.Error);
    }

    [Fact]
    public async Task Fulfilment_burns_the_held_seconds_and_lowers_the_supply()
    {
        await Exchange.GiveFanSecondsAsync("kind-star", "happy-fan", 650);
        await PublishAsync("kind-star", "f1", SlotKind.VideoCall, TimeSpan.FromMinutes(10));
        await Scheduler("kind-star").Book("f1", "happy-fan");
        var before = await Exchange.Celebrity("kind-star").GetProfile();

        var early = await Scheduler("kind-star").Fulfil("f1");
        Exchange.Clock.Advance(TimeSpan.FromMinutes(11));
        var fulfilled = await Scheduler("kind-star").Fulfil("f1");

        Assert.Equal(ErrorCodes.SlotNotStarted, early.Error!.Code);
        Assert.Equal(SlotStatus.Fulfilled, fulfilled.Slot!.Status);
        var holding = await HoldingAsync("happy-fan", "kind-star");
        Assert.Equal((50L, 0L), (holding.Available, holding.HeldForBookings));
        Assert.Equal(before!.RedeemedSeconds + 600, (await Exchange.Celebrity("kind-star").GetProfile())!.RedeemedSeconds);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task Every_slot_change_is_published_on_the_bookings_stream()
    {
        await Exchange.GiveFanSecondsAsync("stream-star", "stream-fan", 600);
        await using var recording = await StreamRecording<BookingEvent>.StartAsync(Exchange, StreamNames.Bookings, "stream-star");

        await PublishAsync("stream-star", "s1", SlotKind.VideoCall, TimeSpan.FromDays(2));
        await Scheduler("stream-star").Book("s1", "stream-fan");

        var events = await recording.AtLeastAsync(2);
        Assert.Equal([SlotStatus.Open, SlotStatus.Booked], events.Select(e => e.Slot.Status));
        Assert.Equal("stream-fan", events[1].Slot.FanId);
    }

    [Fact]
    public async Task A_text_chat_burns_the_seconds_used_once_per_redemption_id()
    {
        await Exchange.GiveFanSecondsAsync("chat-star", "chatty-fan", 100);

        var first = await Scheduler("chat-star").RedeemChat("chat-1", "chatty-fan", 40);
        var replay = await Scheduler("chat-star").RedeemChat("chat-1", "chatty-fan", 40);
        var longer = await Scheduler("chat-star").RedeemChat("chat-1", "chatty-fan", 45);
        var tooLong = await Scheduler("chat-star").RedeemChat("chat-2", "chatty-fan", 61);

        Assert.True(first.Succeeded);
        Assert.True(replay.WasReplay);
        Assert.Equal(ErrorCodes.DuplicateRequest, longer.Error!.Code);
        Assert.Contains("a chat of 40 s", longer.Error.Message);
        Assert.Equal(ErrorCodes.InsufficientSeconds, tooLong.Error!.Code);
        Assert.Equal(60, (await HoldingAsync("chatty-fan", "chat-star")).Available);
        Assert.Equal(40, (await Exchange.Celebrity("chat-star").GetProfile())!.RedeemedSeconds);
        await Exchange.DeactivateIdleGrainsAsync();
        Assert.Equal(ErrorCodes.DuplicateRequest, (await Scheduler("chat-star").RedeemChat("chat-1", "chatty-fan", 45)).Error?.Code);
        Assert.True((await Scheduler("chat-star").RedeemChat("chat-1", "chatty-fan", 40)).WasReplay);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_chat_whose_burn_answer_is_lost_is_still_counted_as_redeemed()
    {
        await Exchange.GiveFanSecondsAsync("lost-chat-star", "lost-chat-fan", 100);
        LostAnswers.LoseNext<IWalletGrain>("lost-chat-fan", nameof(IWalletGrain.RedeemChat));

        await Assert.ThrowsAsync<TimeoutException>(() => Scheduler("lost-chat-star").RedeemChat("lost-1", "lost-chat-fan", 30));

        // Asked again for another length while the first is still being finished: the first is owed, this one refused.
        var other = await Scheduler("lost-chat-star").RedeemChat("lost-1", "lost-chat-fan", 50);
        Assert.Equal(ErrorCodes.DuplicateRequest, other.Error?.Code);
        Assert.Contains("a chat of 30 s", other.Error!.Message);

        // The wallet burned the seconds; the scheduler must still get them counted, with nobody asking again.
        Assert.Equal(70, (await HoldingAsync("lost-chat-fan", "lost-chat-star")).Available);
        await Eventually.ValueAsync(() => Exchange.Celebrity("lost-chat-star").GetProfile(), profile => profile!.RedeemedSeconds == 30, TimeSpan.FromSeconds(20));
        await Exchange.AssertAuditPassesAsync();
        var retried = await Scheduler("lost-chat-star").RedeemChat("lost-1", "lost-chat-fan", 30);
        Assert.True(retried.Succeeded && retried.WasReplay, retried.Error?.Message);
        Assert.Equal(30, (await Exchange.Celebrity("lost-chat-star").GetProfile())!.RedeemedSeconds);
    }

    [Fact]
    public async Task A_chat_the_previous_build_began_is_finished_without_counting_on_either_side_and_the_audit_balances()
    {
        await Exchange.GiveFanSecondsAsync("legacy-star", "legacy-fan", 100);

        // As the previous build left it: burned and recorded, counted nowhere (it kept no running totals).
        Assert.True((await Exchange.Wallet("legacy-fan").RedeemChat("legacy-chat", "legacy-star", 30, counted: false)).Succeeded);
        await Exchange.Celebrity("legacy-star").RecordRedemption("legacy-chat", 30, counted: false);

        Assert.False((await Exchange.Wallet("legacy-fan").GetAuditReading()).SecondsRedeemed.ContainsKey("legacy-star"));
        var celebrity = await Exchange.Celebrity("legacy-star").GetAuditTotals();
        Assert.Equal((30, 0), (celebrity.RedeemedSeconds, celebrity.RedeemedSecondsCounted));
        var report = await Exchange.AuditAsync();
        Assert.True(report.Passed, Exchange.Explain(report));
        Assert.Equal(1_000_000 - 30, report.SecondsOutstanding["legacy-star"]);
    }

    [Fact]
    public async Task The_reminder_expires_unbooked_slots_and_returns_seconds_of_slots_nobody_fulfilled()
    {
        await Exchange.GiveFanSecondsAsync("sleepy-star", "waiting-fan", 600);
        await PublishAsync("sleepy-star", "never-booked", SlotKind.VideoCall, TimeSpan.FromMinutes(40));
        await PublishAsync("sleepy-star", "forgotten", SlotKind.VideoCall, TimeSpan.FromMinutes(5));
        await Scheduler("sleepy-star").Book("forgotten", "waiting-fan");

        Exchange.Clock.Advance(TimeSpan.FromMinutes(5 + 30 + 121));

        // No call from here on: only the Orleans reminder (ticking every second in tests) can close the slots.
        var slots = await Eventually.ValueAsync(() => Scheduler("sleepy-star").GetSlots(includeClosed: true),
            s => s.All(slot => slot.Status is SlotStatus.Expired or SlotStatus.Lapsed), TimeSpan.FromSeconds(20));
        Assert.Equal(SlotStatus.Expired, slots.Single(s => s.SlotId == "never-booked").Status);
        Assert.Equal(SlotStatus.Lapsed, slots.Single(s => s.SlotId == "forgotten").Status);
        Assert.Equal(600, (await HoldingAsync("waiting-fan", "sleepy-star")).Available);
        await Exchange.AssertAuditPassesAsync();
    }

    [Fact]
    public async Task A_randomized_booking_scenario_keeps_the_audit_passing()
    {
        var random = new Random(7);
        var fans = Enumerable.Range(1, 20).Select(i => $"mix-fan-{i}").ToList();
        foreach (var fan in fans)
        {
            await Exchange.GiveFanSecondsAsync("mix-star", fan, random.Next(500, 9_000));
        }

        var startHours = Enumerable.Range(1, 71).OrderBy(_ => random.Next()).Take(30).ToList();
        for (var i = 0; i < 30; i++)
        {
            await PublishAsync("mix-star", $"mix-{i}", i % 5 == 0 ? SlotKind.MeetUp : SlotKind.VideoCall, TimeSpan.FromHours(startHours[i]));
        }

        var scheduler = Scheduler("mix-star");
        var actions = Enumerable.Range(0, 200).Select(_ =>
        {
            var slot = $"mix-{random.Next(30)}";
            var fan = fans[random.Next(fans.Count)];
            return random.Next(6) switch
            {
                0 or 1 => scheduler.Book(slot, fan),
                2 => scheduler.CancelByFan(slot, fan),
                3 => scheduler.CancelByCelebrity(slot),
                4 => scheduler.Fulfil(slot),
                _ => scheduler.RedeemChat(Guid.NewGuid().ToString("N"), fan, random.Next(1, 50)).ContinueWith(_ => new SlotResult(null, null)),
            };
        }).ToList();
        await Task.WhenAll(actions);
        Exchange.Clock.Advance(TimeSpan.FromDays(4));
        await scheduler.ProcessDue();

        var report = await Exchange.AuditAsync();
        Assert.True(report.Passed, string.Join("\n", report.Violations));
        var profile = await Exchange.Celebrity("mix-star").GetProfile();
        Assert.True(profile!.RedeemedSeconds > 0);
        Assert.Equal(profile.IssuedSeconds - profile.RedeemedSeconds, report.SecondsOutstanding["mix-star"]);
        Assert.DoesNotContain(await scheduler.GetSlots(includeClosed: true), s => s.Status is SlotStatus.Open or SlotStatus.Booked or SlotStatus.Booking);
    }
}
