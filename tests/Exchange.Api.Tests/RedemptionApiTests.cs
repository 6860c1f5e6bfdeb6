using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

public class RedemptionApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task The_agent_sees_what_the_platform_paid_for_its_celebritys_time_and_fans_may_not()
    {
        await host.ListAndIssueAsync("paid-star", 1_200, 250); // the agent, agent-paid-star, is paid 1,200 s x 2.50 CNY
        using var agent = host.Client(await host.CreateKeyAsync("agent-paid-star", "celebrity"));
        using var star = host.Client(await host.CreateKeyAsync("paid-star", "celebrity"));
        using var fan = host.Client(await host.CreateKeyAsync("paid-fan"));

        var agentPayouts = await agent.GetFromJsonAsync<JsonElement>("/api/v1/payouts");
        var starPayouts = await star.GetFromJsonAsync<JsonElement>("/api/v1/payouts");

        Assert.Equal(("payout:agent-paid-star", 300_000L), (agentPayouts.GetProperty("accountId").GetString(), agentPayouts.GetProperty("cashAvailableFen").GetInt64()));
        Assert.Equal(0L, starPayouts.GetProperty("cashAvailableFen").GetInt64()); // an agent is paid in its celebrity's place
        Assert.Equal(HttpStatusCode.Forbidden, (await fan.GetAsync("/api/v1/payouts")).StatusCode);
    }

    [Fact]
    public async Task The_celebritys_agent_hears_a_fan_book_and_cancel_its_slot_live_and_nobody_else_may_listen()
    {
        await host.ListAndIssueAsync("live-slots-star", 10_000, 10);
        var fanToken = await host.CreateKeyAsync("live-slots-fan");
        await host.FundAsync("live-slots-fan", 10_000);
        using var fan = host.Client(fanToken);
        var agentToken = await host.CreateKeyAsync("agent-live-slots-star", "celebrity");
        using var agent = host.Client(agentToken);
        using var stranger = host.Client(await host.CreateKeyAsync("live-slots-other-star", "celebrity"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "b", celebrityId = "live-slots-star", side = "buy", priceFen = 10, quantity = 600 }));
        await host.SettleAsync();
        Expect(HttpStatusCode.Created, await agent.PostAsJsonAsync("/api/v1/celebrities/live-slots-star/slots",
            new { slotId = "call-1", start = DateTimeOffset.UtcNow.AddDays(3), durationMinutes = 20, kind = "videoCall" }));

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().GetAsync("/api/v1/celebrities/live-slots-star/slots/feed", timeout.Token)).StatusCode);
        await ExpectProblemAsync(await fan.GetAsync("/api/v1/celebrities/live-slots-star/slots/feed", timeout.Token), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await stranger.GetAsync("/api/v1/celebrities/live-slots-star/slots/feed", timeout.Token), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await agent.GetAsync("/api/v1/celebrities/nobody-at-all/slots/feed", timeout.Token), HttpStatusCode.NotFound, "unknown_celebrity");

        using var response = await agent.GetAsync("/api/v1/celebrities/live-slots-star/slots/feed", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Expect(HttpStatusCode.OK, response);
        await using var events = SseParser.Create(await response.Content.ReadAsStreamAsync(timeout.Token)).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("ready", events.Current.EventType);

        // The stream may still be delivering the publication when the feed subscribes: wait for the change asked for.
        async Task<string?> FanOnceAsync(string status)
        {
            while (true)
            {
                Assert.True(await events.MoveNextAsync());
                Assert.Equal("slot", events.Current.EventType);
                var slot = JsonSerializer.Deserialize<JsonElement>(events.Current.Data);
                Assert.Equal("call-1", slot.GetProperty("slotId").GetString());
                if (slot.GetProperty("status").GetString() == status)
                {
                    return slot.GetProperty("fanId").GetString();
                }
            }
        }

        Expect(HttpStatusCode.Created, await fan.PostAsync("/api/v1/celebrities/live-slots-star/slots/call-1/booking", null, timeout.Token));
        Assert.Equal("live-slots-fan", await FanOnceAsync("booked"));
        Expect(HttpStatusCode.OK, await fan.DeleteAsync("/api/v1/celebrities/live-slots-star/slots/call-1/booking", timeout.Token));
        Assert.Null(await FanOnceAsync("open"));

        // It names fans, so it ends once the key that opened it is revoked.
        using var op = host.Operator();
        Expect(HttpStatusCode.NoContent, await op.DeleteAsync($"/api/v1/admin/keys/{agentToken.Split('_')[1]}", timeout.Token));
        Assert.False(await events.MoveNextAsync());
    }

    [Fact]
    public async Task Who_booked_a_slot_or_traded_is_shown_only_to_that_fan_the_celebritys_side_and_operators()
    {
        await host.ListAndIssueAsync("private-star", 10_000, 10);
        var fanToken = await host.CreateKeyAsync("private-fan");
        await host.FundAsync("private-fan", 10_000);
        using var fan = host.Client(fanToken);
        using var otherFan = host.Client(await host.CreateKeyAsync("private-other-fan"));
        using var celebrity = host.Client(await host.CreateKeyAsync("private-star", "celebrity"));
        using var agent = host.Client(await host.CreateKeyAsync("agent-private-star", "celebrity"));
        using var stranger = host.Client(await host.CreateKeyAsync("private-other-star", "celebrity"));
        using var operatorClient = host.Operator();
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "b", celebrityId = "private-star", side = "buy", priceFen = 10, quantity = 600 }));
        await host.SettleAsync();
        var slot = new { slotId = "meet-1", start = DateTimeOffset.UtcNow.AddDays(3), durationMinutes = 20, kind = "videoCall" };
        Expect(HttpStatusCode.Created, await celebrity.PostAsJsonAsync("/api/v1/celebrities/private-star/slots", slot));
        Expect(HttpStatusCode.Created, await fan.PostAsync("/api/v1/celebrities/private-star/slots/meet-1/booking", null));

        async Task<(string? Status, string? FanId)> SeenBy(HttpClient client)
        {
            var seen = (await client.GetFromJsonAsync<JsonElement>("/api/v1/celebrities/private-star/slots"))[0];
            return (seen.GetProperty("status").GetString(), seen.GetProperty("fanId").GetString());
        }

        Assert.Equal(("booked", "private-fan"), await SeenBy(fan));
        Assert.Equal(("booked", "private-fan"), await SeenBy(celebrity));
        Assert.Equal(("booked", "private-fan"), await SeenBy(agent));
        Assert.Equal(("booked", "private-fan"), await SeenBy(operatorClient));
        using var anonymous = host.Client();
        Assert.Equal(("booked", null), await SeenBy(anonymous));
        Assert.Equal(("booked", null), await SeenBy(otherFan));
        Assert.Equal(("booked", null), await SeenBy(stranger));
        foreach (var marketData in new[] { "trades", "book", "" })
        {
            Assert.DoesNotContain("private-fan", await anonymous.GetStringAsync($"/api/v1/celebrities/private-star/{marketData}"));
        }

        await host.SettleAsync();
    }

    [Fact]
    public async Task A_slot_priced_below_its_tier_or_starting_at_a_time_without_an_offset_is_refused_and_publishes_nothing()
    {
        await host.ListAndIssueAsync("zone-star", 1_000, 10);
        using var celebrity = host.Client(await host.CreateKeyAsync("zone-star", "celebrity"));
        var day = DateTimeOffset.UtcNow.AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Task<HttpResponseMessage> PublishAsync(string json) =>
            celebrity.PostAsync("/api/v1/celebrities/zone-star/slots", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        var local = await ExpectProblemAsync(await PublishAsync($$"""{"slotId":"z-1","start":"{{day}}T19:00:00","durationMinutes":20,"kind":"videoCall"}"""),
            HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("'start' takes a date and time with its offset from UTC", local.GetProperty("detail").GetString());
        var cheap = await ExpectProblemAsync(await PublishAsync($$"""{"slotId":"z-2","start":"{{day}}T19:00:00Z","durationMinutes":20,"kind":"videoCall","seconds":599}"""),
            HttpStatusCode.BadRequest, "invalid_quantity");
        Assert.Contains("at least 600 s", cheap.GetProperty("detail").GetString());
        await ExpectProblemAsync(await PublishAsync($$"""{"slotId":"z-3","start":"{{day}}T19:00:00Z","durationMinutes":60,"kind":"meetUp","location":"Bund 18","seconds":7499}"""),
            HttpStatusCode.BadRequest, "invalid_quantity");

        Expect(HttpStatusCode.Created, await PublishAsync($$"""{"slotId":"z-4","start":"{{day}}T19:00:00+08:00","durationMinutes":20,"kind":"videoCall","seconds":900}"""));
        var listed = await host.Client().GetFromJsonAsync<JsonElement>("/api/v1/celebrities/zone-star/slots");
        var only = Assert.Single(listed.EnumerateArray());
        Assert.Equal(("z-4", 900L), (only.GetProperty("slotId").GetString(), only.GetProperty("seconds").GetInt64()));
        Assert.Equal($"{day}T11:00:00+00:00", only.GetProperty("start").GetString());
    }

    [Fact]
    public async Task A_celebrity_publishes_a_slot_a_fan_books_it_and_sees_the_booking_and_held_seconds()
    {
        await host.ListAndIssueAsync("slot-star", 10_000, 10);
        var fanToken = await host.CreateKeyAsync("slot-fan");
        await host.FundAsync("slot-fan", 10_000);
        using var fan = host.Client(fanToken);
        using var celebrity = host.Client(await host.CreateKeyAsync("slot-star", "celebrity"));
        using var agent = host.Client(await host.CreateKeyAsync("agent-slot-star", "celebrity"));
        using var stranger = host.Client(await host.CreateKeyAsync("other-star", "celebrity"));
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/orders", new { clientOrderId = "b", celebrityId = "slot-star", side = "buy", priceFen = 10, quantity = 700 }));
        await host.SettleAsync();
        var slot = new { slotId = "v-1", start = DateTimeOffset.UtcNow.AddDays(3), durationMinutes = 20, kind = "videoCall" };

        await ExpectProblemAsync(await stranger.PostAsJsonAsync("/api/v1/celebrities/slot-star/slots", slot), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/celebrities/slot-star/slots", slot), HttpStatusCode.Forbidden, "forbidden");
        Expect(HttpStatusCode.Created, await celebrity.PostAsJsonAsync("/api/v1/celebrities/slot-star/slots", slot));
        await ExpectProblemAsync(await agent.PostAsJsonAsync("/api/v1/celebrities/slot-star/slots", slot with { slotId = "v-2" }), HttpStatusCode.Conflict, "slot_overlaps");
        Expect(HttpStatusCode.Created, await agent.PostAsJsonAsync("/api/v1/celebrities/slot-star/slots", slot with { slotId = "v-2", start = slot.start.AddMinutes(20) }));

        var listed = await host.Client().GetFromJsonAsync<JsonElement>("/api/v1/celebrities/slot-star/slots");
        Assert.Equal(2, listed.GetArrayLength());
        Assert.Equal(600, listed[0].GetProperty("seconds").GetInt64());

        Expect(HttpStatusCode.Created, await fan.PostAsync("/api/v1/celebrities/slot-star/slots/v-1/booking", null));
        // Repeated (an answer lost to a restarting silo, say): the same booking, answered as a replay like any other.
        var again = await fan.PostAsync("/api/v1/celebrities/slot-star/slots/v-1/booking", null);
        Expect(HttpStatusCode.OK, again);
        Assert.Equal("booked", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Expect(HttpStatusCode.OK, await celebrity.PostAsJsonAsync("/api/v1/celebrities/slot-star/slots", slot));
        await ExpectProblemAsync(await fan.PostAsync("/api/v1/celebrities/slot-star/slots/v-2/booking", null), HttpStatusCode.UnprocessableEntity, "insufficient_seconds");
        var bookings = await fan.GetFromJsonAsync<JsonElement>("/api/v1/bookings");
        Assert.Equal(("v-1", "held"), (bookings[0].GetProperty("slotId").GetString(), bookings[0].GetProperty("status").GetString()));
        var holding = (await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet")).GetProperty("holdings")[0];
        Assert.Equal((100L, 600L), (holding.GetProperty("available").GetInt64(), holding.GetProperty("heldForBookings").GetInt64()));

        Expect(HttpStatusCode.OK, await fan.DeleteAsync("/api/v1/celebrities/slot-star/slots/v-1/booking"));
        // Repeated, the cancellation is answered as done, not as a booking the fan never had.
        var cancelledAgain = await fan.DeleteAsync("/api/v1/celebrities/slot-star/slots/v-1/booking");
        Expect(HttpStatusCode.OK, cancelledAgain);
        Assert.Equal("open", (await cancelledAgain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Expect(HttpStatusCode.OK, await celebrity.PostAsync("/api/v1/celebrities/slot-star/slots/v-2/cancel", null));
        var chat = await fan.PostAsJsonAsync("/api/v1/celebrities/slot-star/chats", new { redemptionId = "chat-1", seconds = 30 });
        Expect(HttpStatusCode.OK, chat);
        Assert.Equal(670, (await chat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdings")[0].GetProperty("available").GetInt64());
        await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/celebrities/slot-star/chats", new { redemptionId = "chat-2", seconds = 0 }), HttpStatusCode.BadRequest, "invalid_quantity");
        await ExpectProblemAsync(await fan.PostAsync("/api/v1/celebrities/slot-star/slots/nope/booking", null), HttpStatusCode.NotFound, "unknown_slot");
        await host.SettleAsync();
    }

    [Fact]
    public async Task How_to_join_a_slot_is_shown_to_the_fan_who_booked_it_and_the_celebritys_side_only()
    {
        await host.ListAndIssueAsync("join-star", 10_000, 10);
        using var agent = host.Client(await host.CreateKeyAsync("agent-join-star", "celebrity"));
        using var booker = await host.FanWithSecondsAsync("join-star", "join-booker", 600);
        using var other = await host.FanWithSecondsAsync("join-star", "join-other", 600);
        using var anonymous = host.Client();
        const string Slots = "/api/v1/celebrities/join-star/slots";
        string? DetailsIn(JsonElement slots, string slotId) =>
            slots.EnumerateArray().Single(s => s.GetProperty("slotId").GetString() == slotId).TryGetProperty("joiningDetails", out var details)
                && details.ValueKind == JsonValueKind.String ? details.GetString() : null;

        Expect(HttpStatusCode.Created, await agent.PostAsJsonAsync(Slots,
            new { slotId = "call", start = DateTimeOffset.UtcNow.AddDays(3), durationMinutes = 20, kind = "videoCall", joiningDetails = "https://meet.example/abc-123" }));
        await ExpectProblemAsync(await agent.PostAsJsonAsync(Slots,
            new { slotId = "long", start = DateTimeOffset.UtcNow.AddDays(4), durationMinutes = 20, kind = "videoCall", joiningDetails = new string('x', 501) }),
            HttpStatusCode.BadRequest, "invalid_request");
        Assert.Null(DetailsIn(await anonymous.GetFromJsonAsync<JsonElement>(Slots), "call"));
        Assert.Null(DetailsIn(await other.GetFromJsonAsync<JsonElement>(Slots), "call"));

        var booked = await booker.PostAsync(Slots + "/call/booking", null);
        Expect(HttpStatusCode.Created, booked);
        Assert.Equal("https://meet.example/abc-123", (await booked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("joiningDetails").GetString());
        // Changed later: the booked fan reads the new ones; nobody else reads any.
        Expect(HttpStatusCode.OK, await agent.PostAsJsonAsync(Slots + "/call/details", new { joiningDetails = "https://meet.example/new-room" }));
        Assert.Equal("https://meet.example/new-room", DetailsIn(await booker.GetFromJsonAsync<JsonElement>(Slots), "call"));
        Assert.Null(DetailsIn(await other.GetFromJsonAsync<JsonElement>(Slots), "call"));
        Assert.Null(DetailsIn(await anonymous.GetFromJsonAsync<JsonElement>(Slots), "call"));
        Assert.Equal("https://meet.example/new-room", DetailsIn(await agent.GetFromJsonAsync<JsonElement>(Slots), "call"));
        await ExpectProblemAsync(await other.PostAsJsonAsync(Slots + "/call/details", new { joiningDetails = "phishing" }), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await agent.PostAsJsonAsync(Slots + "/nope/details", new { joiningDetails = "x" }), HttpStatusCode.NotFound, "unknown_slot");

        // Once the fan cancels, the slot is open again and its answer no longer carries them.
        var cancelled = await booker.DeleteAsync(Slots + "/call/booking");
        Expect(HttpStatusCode.OK, cancelled);
        Assert.False((await cancelled.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("joiningDetails", out var left) && left.ValueKind == JsonValueKind.String);
        Assert.Null(DetailsIn(await booker.GetFromJsonAsync<JsonElement>(Slots), "call"));
    }

    [Fact]
    public async Task A_fan_hears_when_a_slot_it_booked_changes_how_to_join_and_nothing_of_other_fans_slots()
    {
        await host.ListAndIssueAsync("feed-join-star", 10_000, 10);
        using var agent = host.Client(await host.CreateKeyAsync("agent-feed-join-star", "celebrity"));
        using var booker = await host.FanWithSecondsAsync("feed-join-star", "feed-join-booker", 600);
        using var other = await host.FanWithSecondsAsync("feed-join-star", "feed-join-other", 600);
        const string Slots = "/api/v1/celebrities/feed-join-star/slots";
        foreach (var (slotId, days) in new[] { ("call", 3), ("other-call", 4) })
        {
            Expect(HttpStatusCode.Created, await agent.PostAsJsonAsync(Slots,
                new { slotId, start = DateTimeOffset.UtcNow.AddDays(days), durationMinutes = 20, kind = "videoCall", joiningDetails = "https://meet.example/first" }));
        }

        Expect(HttpStatusCode.Created, await booker.PostAsync(Slots + "/call/booking", null));
        Expect(HttpStatusCode.Created, await other.PostAsync(Slots + "/other-call/booking", null));
        await using var bookings = await FeedEvents.OpenAsync(booker, "/api/v1/bookings/feed");

        Expect(HttpStatusCode.OK, await agent.PostAsJsonAsync(Slots + "/other-call/details", new { joiningDetails = "https://meet.example/theirs" }));
        Expect(HttpStatusCode.OK, await agent.PostAsJsonAsync(Slots + "/call/details", new { joiningDetails = "https://meet.example/moved" }));

        // One stream carries the celebrity's slots in order, so the other fan's change would come first; the booking
        // itself may come too, if the stream was still delivering it when the feed began.
        var heard = new List<(string? SlotId, string? Details)>();
        while (heard.LastOrDefault().Details != "https://meet.example/moved")
        {
            var slot = await bookings.NextAsync("slot");
            heard.Add((slot.GetProperty("slotId").GetString(), slot.TryGetProperty("joiningDetails", out var details) ? details.GetString() : null));
        }

        Assert.All(heard, change => Assert.Equal("call", change.SlotId));
        await ExpectProblemAsync(await agent.GetAsync("/api/v1/bookings/feed"), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_fan_the_celebritys_side_blocked_cannot_book_its_calls_either_until_unblocked()
    {
        await host.ListAndIssueAsync("blocking-star", 10_000, 10);
        using var agent = host.Client(await host.CreateKeyAsync("agent-blocking-star", "celebrity"));
        using var fan = await host.FanWithSecondsAsync("blocking-star", "blocked-booker", 700);
        const string Slots = "/api/v1/celebrities/blocking-star/slots";
        Expect(HttpStatusCode.Created, await agent.PostAsJsonAsync(Slots,
            new { slotId = "call", start = DateTimeOffset.UtcNow.AddDays(3), durationMinutes = 20, kind = "videoCall" }));
        Expect(HttpStatusCode.OK, await agent.PutAsJsonAsync("/api/v1/celebrities/blocking-star/chat-blocks/blocked-booker", new { hours = 48 }));

        var refused = await ExpectProblemAsync(await fan.PostAsync(Slots + "/call/booking", null), HttpStatusCode.Forbidden, "booking_blocked");
        var wallet = await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        Expect(HttpStatusCode.NoContent, await agent.DeleteAsync("/api/v1/celebrities/blocking-star/chat-blocks/blocked-booker"));
        var booked = await fan.PostAsync(Slots + "/call/booking", null);

        Assert.Matches(@"^'blocking-star' does not take bookings from you until \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$", refused.GetProperty("detail").GetString());
        // Refused before anything was held, and the slot stayed open for the fan once unblocked.
        Assert.Equal((700L, 0L), (wallet.GetProperty("holdings")[0].GetProperty("available").GetInt64(), wallet.GetProperty("holdings")[0].GetProperty("heldForBookings").GetInt64()));
        Expect(HttpStatusCode.Created, booked);
    }

    [Fact]
    public async Task A_fans_bookings_feed_hears_a_celebrity_it_first_books_with_after_connecting()
    {
        await host.ListAndIssueAsync("feed-late-star", 10_000, 10);
        using var agent = host.Client(await host.CreateKeyAsync("agent-feed-late-star", "celebrity"));
        using var booker = await host.FanWithSecondsAsync("feed-late-star", "feed-late-booker", 600);
        const string Slots = "/api/v1/celebrities/feed-late-star/slots";
        Expect(HttpStatusCode.Created, await agent.PostAsJsonAsync(Slots,
            new { slotId = "call", start = DateTimeOffset.UtcNow.AddDays(3), durationMinutes = 20, kind = "videoCall", joiningDetails = "https://meet.example/first" }));
        await using var bookings = await FeedEvents.OpenAsync(booker, "/api/v1/bookings/feed");

        Expect(HttpStatusCode.Created, await booker.PostAsync(Slots + "/call/booking", null));
        var booked = await bookings.NextAsync("slot");
        Expect(HttpStatusCode.OK, await agent.PostAsJsonAsync(Slots + "/call/details", new { joiningDetails = "https://meet.example/moved" }));
        // The booking may come twice (from the stream, and as the slot stood when the feed began to hear it).
        Assert.True(await bookings.SkipToAsync(item => item.Data.Contains("https://meet.example/moved")));

        Assert.Equal(("call", "feed-late-booker"), (booked.GetProperty("slotId").GetString(), booked.GetProperty("fanId").GetString()));
        Assert.Contains(booked.GetProperty("status").GetString(), new[] { "booking", "booked" });
    }
}
