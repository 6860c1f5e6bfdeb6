using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

public class ChatFeedApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const string Chats = "/api/v1/celebrities/api-feed-chat-star/chat-sessions";

    private static (string? Kind, string? From, string? Text, string? Status) Described(string? kind, JsonElement data) =>
        (kind, data.GetProperty("message").ValueKind == JsonValueKind.Null ? null : data.GetProperty("message").GetProperty("from").GetString(),
            data.GetProperty("message").ValueKind == JsonValueKind.Null ? null : data.GetProperty("message").GetProperty("text").GetString(),
            data.GetProperty("chat").GetProperty("status").GetString());

    private static async Task<(string? Kind, string? From, string? Text, string? Status)> NextAsync(FeedEvents feed) =>
        await feed.NextAnyAsync() is { } next ? Described(next.Type, next.Data) : default;

    [Fact]
    public async Task Both_sides_hear_each_message_as_it_is_written_and_the_chats_feed_closes_when_it_ends()
    {
        await host.ListAndIssueAsync("api-feed-chat-star", 1_000, 10);
        using var fan = await host.FanWithSecondsAsync("api-feed-chat-star", "api-feed-chat-fan", 300);
        using var agent = host.Client(await host.CreateKeyAsync("agent-api-feed-chat-star", "celebrity"));
        await using var inbox = await FeedEvents.OpenAsync(agent, Chats + "/feed");
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync(Chats, new { chatId = "live-1", seconds = 100, message = "Hi! Are you there?" }));

        await using var conversation = await FeedEvents.OpenAsync(fan, Chats + "/live-1/feed");
        var opened = await inbox.NextAsync("message");
        Expect(HttpStatusCode.OK, await agent.PostAsJsonAsync(Chats + "/live-1/messages", new { text = "I am! Ask away." }));
        var answered = await NextAsync(conversation);
        Expect(HttpStatusCode.OK, await fan.PostAsJsonAsync(Chats + "/live-1/messages", new { text = "Best match ever?" }));
        var asked = await NextAsync(conversation);
        Expect(HttpStatusCode.OK, await fan.PostAsync(Chats + "/live-1/end", null));
        var ended = await conversation.NextAsync("chat");
        var afterEnd = await conversation.NextTypeAsync();

        // The fan's feed starts from the chat as it stood, with its first message.
        var start = conversation.Ready.GetProperty("chat");
        Assert.Equal(("waiting", "Hi! Are you there?"), (start.GetProperty("status").GetString(),
            Assert.Single(start.GetProperty("messages").EnumerateArray()).GetProperty("text").GetString()));
        // The agent hears the chat opened, with whom and what the fan wrote.
        Assert.Equal(("message", "fan", "Hi! Are you there?", "waiting"), Described("message", opened));
        Assert.Equal(("live-1", "api-feed-chat-fan"), (opened.GetProperty("chat").GetProperty("chatId").GetString(), opened.GetProperty("chat").GetProperty("fanId").GetString()));
        Assert.Equal(("message", "celebrity", "I am! Ask away.", "live"), answered);
        Assert.Equal(("message", "fan", "Best match ever?", "live"), asked);
        Assert.Equal(("ended", "fan"), (ended.GetProperty("chat").GetProperty("status").GetString(), ended.GetProperty("chat").GetProperty("endedBy").GetString()));
        Assert.Equal(0, ended.GetProperty("chat").GetProperty("messages").GetArrayLength());
        Assert.Null(afterEnd);
        // The celebrity's side heard the whole conversation too, in order.
        Assert.Equal(("message", "celebrity", "I am! Ask away.", "live"), await NextAsync(inbox));
        Assert.Equal(("message", "fan", "Best match ever?", "live"), await NextAsync(inbox));
        Assert.Equal(("chat", null, null, "ended"), await NextAsync(inbox));
    }

    [Fact]
    public async Task An_agent_follows_the_chats_of_every_celebrity_it_represents_on_one_feed_and_no_one_elses()
    {
        using var fan = await host.AgencyWithFanAsync("api-feed-agency", "api-feed-agency", "api-feed-agency-fan", 20);
        using var agency = host.Client(await host.CreateKeyAsync("api-feed-agency", "celebrity"));
        await using var everything = await FeedEvents.OpenAsync(agency, "/api/v1/chats/feed");

        foreach (var celebrityId in new[] { "api-feed-agency-other", "api-feed-agency-two", "api-feed-agency-one" })
        {
            Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync($"/api/v1/celebrities/{celebrityId}/chat-sessions", new { chatId = "hi", seconds = 5, message = "hi " + celebrityId }));
        }

        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/celebrities/api-feed-agency-one/chat-sessions", new { chatId = "again", seconds = 5, message = "me again" }));

        // Its two celebrities' chats (each celebrity's in order; across celebrities in any), and not the other agency's,
        // which opened first.
        var heard = new[] { await NextChatAsync(everything), await NextChatAsync(everything), await NextChatAsync(everything) };
        Assert.Equal(new[] { "api-feed-agency-one: hi api-feed-agency-one", "api-feed-agency-one: me again", "api-feed-agency-two: hi api-feed-agency-two" }, heard.Order());
        Assert.True(Array.IndexOf(heard, "api-feed-agency-one: hi api-feed-agency-one") < Array.IndexOf(heard, "api-feed-agency-one: me again"));
        await ExpectProblemAsync(await host.Operator().GetAsync("/api/v1/chats/feed"), HttpStatusCode.Forbidden, "forbidden");

        static async Task<string> NextChatAsync(FeedEvents events)
        {
            var data = await events.NextAsync("message");
            return data.GetProperty("chat").GetProperty("celebrityId").GetString() + ": " + data.GetProperty("message").GetProperty("text").GetString();
        }
    }

    [Fact]
    public async Task An_agents_chats_feed_hears_a_celebrity_listed_with_it_after_connecting()
    {
        await host.ListAndIssueAsync("api-feed-signed-first", 100, 10, "api-feed-signing-agency");
        using var agency = host.Client(await host.CreateKeyAsync("api-feed-signing-agency", "celebrity"));
        await using var everything = await FeedEvents.OpenAsync(agency, "/api/v1/chats/feed");

        await host.ListAndIssueAsync("api-feed-signed-later", 100, 10, "api-feed-signing-agency");
        using var fan = await host.FanWithSecondsAsync("api-feed-signed-later", "api-feed-signed-fan", 20);
        const string Chats = "/api/v1/celebrities/api-feed-signed-later/chat-sessions";
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync(Chats, new { chatId = "hello", seconds = 5, message = "message 0" }));
        // The feed takes the new celebrity on at its next check (a second in these tests): the fan writes until it is heard.
        var heard = everything.NextAsync("message");
        for (var written = 1; !heard.IsCompleted && written < 30; written++)
        {
            await Task.WhenAny(heard, Task.Delay(500));
            Expect(HttpStatusCode.OK, await fan.PostAsJsonAsync(Chats + "/hello/messages", new { text = $"message {written}" }));
        }

        var first = await heard;
        Assert.Equal(("api-feed-signed-later", "api-feed-signed-fan"),
            (first.GetProperty("chat").GetProperty("celebrityId").GetString(), first.GetProperty("chat").GetProperty("fanId").GetString()));
    }

    [Fact]
    public async Task A_fan_follows_its_own_chats_on_one_feed_and_hears_nothing_of_other_fans_chats_with_the_same_celebrity()
    {
        await host.ListAndIssueAsync("api-feed-fans-star", 1_000, 10);
        using var fan = await host.FanWithSecondsAsync("api-feed-fans-star", "api-feed-fan-a", 50);
        using var otherFan = await host.FanWithSecondsAsync("api-feed-fans-star", "api-feed-fan-b", 50);
        using var agent = host.Client(await host.CreateKeyAsync("agent-api-feed-fans-star", "celebrity"));
        const string Chats = "/api/v1/celebrities/api-feed-fans-star/chat-sessions";
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync(Chats, new { chatId = "a1", seconds = 10, message = "from a" }));
        await using var mine = await FeedEvents.OpenAsync(fan, "/api/v1/chats/feed");

        Expect(HttpStatusCode.Created, await otherFan.PostAsJsonAsync(Chats, new { chatId = "b1", seconds = 10, message = "from b" }));
        Expect(HttpStatusCode.OK, await agent.PostAsJsonAsync(Chats + "/b1/messages", new { text = "to b" }));
        Expect(HttpStatusCode.OK, await agent.PostAsJsonAsync(Chats + "/a1/messages", new { text = "to a" }));
        Expect(HttpStatusCode.OK, await fan.PostAsync(Chats + "/a1/end", null));

        // One stream carries the celebrity's chats in order, so the other fan's would come before this fan's end. Its own
        // opening may come first too, if the stream was still delivering it when the feed began.
        var heard = new List<(string? ChatId, string? Text, string? Status)>();
        while (heard.LastOrDefault().Status != "ended")
        {
            var (type, data) = (await mine.NextAnyAsync())!.Value;
            heard.Add((data.GetProperty("chat").GetProperty("chatId").GetString(), Described(type, data).Text, data.GetProperty("chat").GetProperty("status").GetString()));
        }

        Assert.All(heard, change => Assert.Equal("a1", change.ChatId));
        Assert.Equal(new (string?, string?, string?)[] { ("a1", "to a", "live"), ("a1", null, "ended") }, heard.Where(change => change.Text != "from a"));
    }

    [Fact]
    public async Task A_fans_chats_feed_hears_a_celebrity_it_first_chats_with_after_connecting()
    {
        using var fan = await host.AgencyWithFanAsync("api-feed-late", "api-feed-late", "api-feed-late-fan", 20);
        using var otherFan = await host.FanWithSecondsAsync("api-feed-late-two", "api-feed-late-other-fan", 20);
        using var agency = host.Client(await host.CreateKeyAsync("api-feed-late", "celebrity"));
        const string One = "/api/v1/celebrities/api-feed-late-one/chat-sessions", Two = "/api/v1/celebrities/api-feed-late-two/chat-sessions";
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync(One, new { chatId = "first", seconds = 5, message = "hi one" }));
        await using var mine = await FeedEvents.OpenAsync(fan, "/api/v1/chats/feed");

        Expect(HttpStatusCode.Created, await otherFan.PostAsJsonAsync(Two, new { chatId = "theirs", seconds = 5, message = "not yours" }));
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync(Two, new { chatId = "later", seconds = 5, message = "hi two" }));
        // The feed says it now hears the chat (its opening, or how it stands), before anyone answers it.
        var began = await NextWithAsync(mine, "later");
        Expect(HttpStatusCode.OK, await agency.PostAsJsonAsync(Two + "/theirs/messages", new { text = "to them" }));
        Expect(HttpStatusCode.OK, await agency.PostAsJsonAsync(Two + "/later/messages", new { text = "to you" }));
        var answered = await NextWithAsync(mine, "to you");

        Assert.Equal(("api-feed-late-two", "waiting"), (began.GetProperty("chat").GetProperty("celebrityId").GetString(), began.GetProperty("chat").GetProperty("status").GetString()));
        Assert.Equal(("message", "celebrity", "to you", "live"), Described("message", answered));

        // Reads to the first event that mentions the chat or text; any other fan's chat on the way fails the test.
        static async Task<JsonElement> NextWithAsync(FeedEvents feed, string chatIdOrText)
        {
            while (true)
            {
                var (type, data) = (await feed.NextAnyAsync())!.Value;
                Assert.Equal("api-feed-late-fan", data.GetProperty("chat").GetProperty("fanId").GetString());
                if (data.GetProperty("chat").GetProperty("chatId").GetString() == chatIdOrText || Described(type, data).Text == chatIdOrText)
                {
                    return data;
                }
            }
        }
    }

    [Fact]
    public async Task A_chats_feed_is_only_for_its_fan_and_the_celebritys_side_and_an_ended_chat_answers_with_itself()
    {
        using var chat = await host.PrivateChatAsync("api-feed-chat-private", "api-feed-chat-owner", "api-feed-chat-snoop", "api-feed-chat-another", "secret");
        var (fan, otherFan, star, otherStar, chats) = chat;

        await ExpectProblemAsync(await otherFan.GetAsync(chats + "/secret/feed"), HttpStatusCode.NotFound, "unknown_chat");
        await ExpectProblemAsync(await fan.GetAsync(chats + "/nothing-here/feed"), HttpStatusCode.NotFound, "unknown_chat");
        await ExpectProblemAsync(await fan.GetAsync("/api/v1/celebrities/api-feed-nobody/chat-sessions/secret/feed"), HttpStatusCode.NotFound, "unknown_chat");
        await ExpectProblemAsync(await fan.GetAsync(chats + "/feed"), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await otherStar.GetAsync(chats + "/feed"), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await otherStar.GetAsync(chats + "/secret/feed"), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await star.GetAsync("/api/v1/celebrities/api-feed-nobody/chat-sessions/feed"), HttpStatusCode.NotFound, "unknown_celebrity");
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().GetAsync(chats + "/secret/feed")).StatusCode);
        // "feed" is the chats' feed, so no chat may take it as its id; nothing is held for the refusal.
        await ExpectProblemAsync(await fan.PostAsJsonAsync(chats, new { chatId = "feed", seconds = 5, message = "hi" }), HttpStatusCode.BadRequest, "invalid_request");
        var holding = (await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet")).GetProperty("holdings").EnumerateArray().Single();
        Assert.Equal((80L, 20L), (holding.GetProperty("available").GetInt64(), holding.GetProperty("heldForBookings").GetInt64()));

        await using (var watched = await FeedEvents.OpenAsync(star, chats + "/secret/feed"))
        {
            Assert.Equal("waiting", watched.Ready.GetProperty("chat").GetProperty("status").GetString());
        }

        Expect(HttpStatusCode.OK, await star.PostAsync(chats + "/secret/end", null));
        await using var afterEnd = await FeedEvents.OpenAsync(fan, chats + "/secret/feed");
        Assert.Equal(("ended", "celebrity"), (afterEnd.Ready.GetProperty("chat").GetProperty("status").GetString(),
            afterEnd.Ready.GetProperty("chat").GetProperty("endedBy").GetString()));
        Assert.Null(await afterEnd.NextTypeAsync());
    }
}
