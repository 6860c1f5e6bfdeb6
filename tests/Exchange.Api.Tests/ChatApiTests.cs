using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Exchange.Api.Tests.ApiSession;

namespace Exchange.Api.Tests;

public class ChatApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static async Task<(long Available, long Held)> SecondsAsync(HttpClient fan, string celebrityId)
    {
        var holding = (await fan.GetFromJsonAsync<JsonElement>("/api/v1/wallet")).GetProperty("holdings").EnumerateArray()
            .Single(h => h.GetProperty("celebrityId").GetString() == celebrityId);
        return (holding.GetProperty("available").GetInt64(), holding.GetProperty("heldForBookings").GetInt64());
    }

    [Fact]
    public async Task A_fan_and_the_celebritys_agent_chat_and_the_fan_pays_for_the_time_used()
    {
        await host.ListAndIssueAsync("api-chat-star", 1_000, 10);
        using var fan = await host.FanWithSecondsAsync("api-chat-star", "api-chat-fan", 400);
        using var agent = host.Client(await host.CreateKeyAsync("agent-api-chat-star", "celebrity"));

        var opened = await fan.PostAsJsonAsync("/api/v1/celebrities/api-chat-star/chat-sessions", new { chatId = "hello-1", seconds = 300, message = "Hi! Big fan." });
        var replayed = await fan.PostAsJsonAsync("/api/v1/celebrities/api-chat-star/chat-sessions", new { chatId = "hello-1", seconds = 300, message = "Hi! Big fan." });
        var inbox = await agent.GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-chat-star/chat-sessions");
        var heldWhileOpen = await SecondsAsync(fan, "api-chat-star");
        var answered = await agent.PostAsJsonAsync("/api/v1/celebrities/api-chat-star/chat-sessions/hello-1/messages", new { text = "Thank you! What would you like to know?" });
        var fanWrote = await fan.PostAsJsonAsync("/api/v1/celebrities/api-chat-star/chat-sessions/hello-1/messages", new { text = "How do you prepare for a final?" });
        var read = await fan.GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-chat-star/chat-sessions/hello-1");
        var ended = await agent.PostAsync("/api/v1/celebrities/api-chat-star/chat-sessions/hello-1/end", null);
        var endedAgain = await fan.PostAsync("/api/v1/celebrities/api-chat-star/chat-sessions/hello-1/end", null);
        var mine = await fan.GetFromJsonAsync<JsonElement>("/api/v1/chats");

        Expect(HttpStatusCode.Created, opened);
        Expect(HttpStatusCode.OK, replayed);
        var listed = inbox.EnumerateArray().Single();
        Assert.Equal(("hello-1", "api-chat-fan", "waiting", 0), (listed.GetProperty("chatId").GetString(), listed.GetProperty("fanId").GetString(),
            listed.GetProperty("status").GetString(), listed.GetProperty("messages").GetArrayLength()));
        Assert.Equal((100L, 300L), heldWhileOpen);
        Expect(HttpStatusCode.OK, answered);
        Assert.Equal("live", (await answered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Expect(HttpStatusCode.OK, fanWrote);
        Assert.Equal(new[] { "fan", "celebrity", "fan" }, read.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("from").GetString()));
        Assert.Equal("agent-api-chat-star", read.GetProperty("messages")[1].GetProperty("authorId").GetString());
        Expect(HttpStatusCode.OK, ended);
        var end = await ended.Content.ReadFromJsonAsync<JsonElement>();
        var used = end.GetProperty("usedSeconds").GetInt64();
        // Ended moments after the answer, on the real clock: a few seconds at most, and never nothing.
        Assert.Equal(("ended", "celebrity"), (end.GetProperty("status").GetString(), end.GetProperty("endedBy").GetString()));
        Assert.InRange(used, 1, 30);
        Expect(HttpStatusCode.OK, endedAgain);
        Assert.Equal((400L - used, 0L), await SecondsAsync(fan, "api-chat-star"));
        Assert.Equal(("hello-1", "ended", used), (mine[0].GetProperty("chatId").GetString(), mine[0].GetProperty("status").GetString(), mine[0].GetProperty("usedSeconds").GetInt64()));
        await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/celebrities/api-chat-star/chat-sessions/hello-1/messages", new { text = "one more" }),
            HttpStatusCode.Conflict, "chat_ended");
        var audit = await host.Operator().GetFromJsonAsync<JsonElement>("/api/v1/admin/audit");
        Assert.True(audit.GetProperty("passed").GetBoolean(), audit.ToString());
    }

    [Fact]
    public async Task Chats_are_private_to_their_fan_and_the_celebritys_side_and_bad_input_changes_nothing()
    {
        using var chat = await host.PrivateChatAsync("api-chat-private", "api-chat-owner", "api-chat-snoop", "api-chat-another-star", "private");
        var (fan, otherFan, star, otherStar, chats) = chat;

        await ExpectProblemAsync(await otherFan.GetAsync(chats + "/private"), HttpStatusCode.NotFound, "unknown_chat");
        await ExpectProblemAsync(await otherFan.PostAsJsonAsync(chats + "/private/messages", new { text = "hi" }), HttpStatusCode.NotFound, "unknown_chat");
        await ExpectProblemAsync(await otherFan.PostAsync(chats + "/private/end", null), HttpStatusCode.NotFound, "unknown_chat");
        Assert.Equal(0, (await otherFan.GetFromJsonAsync<JsonElement>(chats)).GetArrayLength());
        await ExpectProblemAsync(await otherStar.GetAsync(chats), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await otherStar.PostAsJsonAsync(chats + "/private/messages", new { text = "hi" }), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await star.PostAsJsonAsync(chats, new { chatId = "by-star", seconds = 5, message = "hi" }), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().GetAsync(chats)).StatusCode);

        await ExpectProblemAsync(await fan.PostAsJsonAsync(chats, new { chatId = "no/slash", seconds = 5, message = "hi" }), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await fan.PostAsJsonAsync(chats, new { chatId = "zero", seconds = 0, message = "hi" }), HttpStatusCode.BadRequest, "invalid_quantity");
        await ExpectProblemAsync(await fan.PostAsJsonAsync(chats, new { chatId = "blank", seconds = 5, message = "" }), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await fan.PostAsJsonAsync(chats, new { chatId = "greedy", seconds = 81, message = "hi" }), HttpStatusCode.UnprocessableEntity, "insufficient_seconds");
        await ExpectProblemAsync(await fan.PostAsJsonAsync(chats, new { chatId = "private", seconds = 21, message = "hi" }), HttpStatusCode.Conflict, "duplicate_request");
        await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/celebrities/api-chat-nobody/chat-sessions", new { chatId = "x", seconds = 5, message = "hi" }),
            HttpStatusCode.NotFound, "unknown_celebrity");
        await ExpectProblemAsync(await fan.PostAsync(chats, new StringContent("{\"chatId\": \"broken\", \"seconds\": ", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await fan.PostAsJsonAsync(chats + "/private/messages", new { text = new string('x', 1_001) }), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal((80L, 20L), await SecondsAsync(fan, "api-chat-private"));

        var seen = await star.GetFromJsonAsync<JsonElement>(chats + "/private");
        Assert.Equal(("waiting", 1), (seen.GetProperty("status").GetString(), seen.GetProperty("messageCount").GetInt32()));
        Expect(HttpStatusCode.OK, await fan.PostAsync(chats + "/private/end", null));
        Assert.Equal((100L, 0L), await SecondsAsync(fan, "api-chat-private")); // never answered: nothing used
    }

    [Fact]
    public async Task The_celebritys_side_blocks_a_fan_which_ends_its_chats_and_stops_new_ones_until_unblocked()
    {
        await host.ListAndIssueAsync("api-chat-block", 1_000, 10);
        using var fan = await host.FanWithSecondsAsync("api-chat-block", "api-chat-pest", 200);
        using var otherFan = await host.FanWithSecondsAsync("api-chat-block", "api-chat-polite", 50);
        using var agent = host.Client(await host.CreateKeyAsync("agent-api-chat-block", "celebrity"));
        using var otherStar = host.Client(await host.CreateKeyAsync("api-chat-block-other", "celebrity"));
        const string Chats = "/api/v1/celebrities/api-chat-block/chat-sessions";
        const string Blocks = "/api/v1/celebrities/api-chat-block/chat-blocks";
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync(Chats, new { chatId = "b1", seconds = 30, message = "hey" }));
        Expect(HttpStatusCode.OK, await agent.PostAsJsonAsync(Chats + "/b1/messages", new { text = "Hello!" }));
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync(Chats, new { chatId = "b2", seconds = 20, message = "answer me" }));

        var blocked = await agent.PutAsJsonAsync(Blocks + "/api-chat-pest", new { reason = "  abusive messages  " });
        var refused = await fan.PostAsJsonAsync(Chats, new { chatId = "b3", seconds = 10, message = "let me in" });
        var blockedAgain = await agent.PutAsJsonAsync(Blocks + "/api-chat-pest", new { reason = "again" });
        var list = await agent.GetFromJsonAsync<JsonElement>(Blocks);

        Expect(HttpStatusCode.OK, blocked);
        var result = await blocked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("api-chat-pest", "agent-api-chat-block", "abusive messages"), (result.GetProperty("block").GetProperty("fanId").GetString(),
            result.GetProperty("block").GetProperty("blockedBy").GetString(), result.GetProperty("block").GetProperty("reason").GetString()));
        var ended = result.GetProperty("endedChats").EnumerateArray().ToList();
        Assert.Equal(new[] { "b1", "b2" }, ended.Select(chat => chat.GetProperty("chatId").GetString()).Order());
        Assert.All(ended, chat => Assert.Equal(("ended", "celebrity"), (chat.GetProperty("status").GetString(), chat.GetProperty("endedBy").GetString())));
        var used = ended.Sum(chat => chat.GetProperty("usedSeconds").GetInt64());
        Assert.InRange(used, 1, 30); // only the answered chat used anything
        await ExpectProblemAsync(refused, HttpStatusCode.Forbidden, "chat_blocked");
        Assert.Equal((200L - used, 0L), await SecondsAsync(fan, "api-chat-block")); // the refused chat held nothing
        Expect(HttpStatusCode.OK, blockedAgain);
        Assert.Equal(0, (await blockedAgain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("endedChats").GetArrayLength());
        Assert.Equal(("api-chat-pest", "abusive messages"), (list.EnumerateArray().Single().GetProperty("fanId").GetString(),
            list.EnumerateArray().Single().GetProperty("reason").GetString())); // the first block stands
        Expect(HttpStatusCode.Created, await otherFan.PostAsJsonAsync(Chats, new { chatId = "polite", seconds = 10, message = "hello" }));

        await ExpectProblemAsync(await fan.GetAsync(Blocks), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await fan.DeleteAsync(Blocks + "/api-chat-pest"), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await otherStar.PutAsJsonAsync(Blocks + "/api-chat-polite", new { }), HttpStatusCode.Forbidden, "forbidden");
        await ExpectProblemAsync(await agent.PutAsJsonAsync(Blocks + "/api-chat-nobody", new { }), HttpStatusCode.NotFound, "unknown_account");
        await ExpectProblemAsync(await agent.PutAsJsonAsync(Blocks + "/api-chat-polite", new { reason = new string('x', 201) }), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await agent.PutAsJsonAsync(Blocks + "/api-chat-polite", new { hours = 0 }), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await agent.PutAsJsonAsync(Blocks + "/api-chat-polite", new { hours = 8_761 }), HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await agent.PutAsync(Blocks + "/api-chat-polite", new StringContent("{\"reason\": ", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "invalid_request");
        await ExpectProblemAsync(await agent.PutAsJsonAsync("/api/v1/celebrities/api-chat-nobody/chat-blocks/api-chat-polite", new { }), HttpStatusCode.NotFound, "unknown_celebrity");
        Assert.Equal(1, (await agent.GetFromJsonAsync<JsonElement>(Blocks)).GetArrayLength()); // none of that blocked anyone

        Expect(HttpStatusCode.NoContent, await agent.DeleteAsync(Blocks + "/api-chat-pest"));
        Expect(HttpStatusCode.NoContent, await agent.DeleteAsync(Blocks + "/api-chat-pest"));
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync(Chats, new { chatId = "b4", seconds = 10, message = "sorry" }));
        Assert.Equal(0, (await agent.GetFromJsonAsync<JsonElement>(Blocks)).GetArrayLength());

        // A cooling-off block ends by itself: the answer says when.
        var before = DateTimeOffset.UtcNow;
        var timed = await agent.PutAsJsonAsync(Blocks + "/api-chat-pest", new { reason = "cool off", hours = 24 });
        Expect(HttpStatusCode.OK, timed);
        var until = (await timed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("block").GetProperty("until").GetDateTimeOffset();
        Assert.InRange(until, before.AddHours(24), DateTimeOffset.UtcNow.AddHours(24));
        var coolingOff = await ExpectProblemAsync(await fan.PostAsJsonAsync(Chats, new { chatId = "b5", seconds = 10, message = "again?" }), HttpStatusCode.Forbidden, "chat_blocked");
        Assert.Equal($"'api-chat-block' does not take chats from you until {until.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.", coolingOff.GetProperty("detail").GetString());
        Expect(HttpStatusCode.NoContent, await agent.DeleteAsync(Blocks + "/api-chat-pest"));
        var audit = await host.Operator().GetFromJsonAsync<JsonElement>("/api/v1/admin/audit");
        Assert.True(audit.GetProperty("passed").GetBoolean(), audit.ToString());
    }

    [Fact]
    public async Task Anyone_sees_how_quickly_a_celebrity_answers_chats_without_learning_whose()
    {
        await host.ListAndIssueAsync("api-chat-answers", 1_000, 10);
        using var fan = await host.FanWithSecondsAsync("api-chat-answers", "api-chat-asker", 100);
        using var agent = host.Client(await host.CreateKeyAsync("agent-api-chat-answers", "celebrity"));
        using var anyone = host.Client();
        const string Chats = "/api/v1/celebrities/api-chat-answers/chat-sessions";
        var before = await anyone.GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-chat-answers/chat-responsiveness");

        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync(Chats, new { chatId = "answered", seconds = 10, message = "hi" }));
        Expect(HttpStatusCode.OK, await agent.PostAsJsonAsync(Chats + "/answered/messages", new { text = "hello" }));
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync(Chats, new { chatId = "declined", seconds = 10, message = "hi again" }));
        Expect(HttpStatusCode.OK, await agent.PostAsync(Chats + "/declined/end", null));
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync(Chats, new { chatId = "gave-up", seconds = 10, message = "anyone?" }));
        Expect(HttpStatusCode.OK, await fan.PostAsync(Chats + "/gave-up/end", null));
        var after = await anyone.GetFromJsonAsync<JsonElement>("/api/v1/celebrities/api-chat-answers/chat-responsiveness");

        Assert.Equal((0, 0, JsonValueKind.Null), (before.GetProperty("decidedChats").GetInt32(), before.GetProperty("answeredChats").GetInt32(),
            before.GetProperty("medianAnswerSeconds").ValueKind));
        // The fan giving up first says nothing about the celebrity; declining counts against it.
        Assert.Equal((2, 1), (after.GetProperty("decidedChats").GetInt32(), after.GetProperty("answeredChats").GetInt32()));
        Assert.InRange(after.GetProperty("medianAnswerSeconds").GetInt64(), 1, 30); // answered moments after, on the real clock
        Assert.DoesNotContain("api-chat-asker", after.ToString());
        await ExpectProblemAsync(await anyone.GetAsync("/api/v1/celebrities/api-chat-nobody/chat-responsiveness"), HttpStatusCode.NotFound, "unknown_celebrity");
    }

    [Fact]
    public async Task The_openapi_document_describes_chats_and_marks_the_older_burn_deprecated()
    {
        var paths = (await host.Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");

        Assert.True(paths.GetProperty("/api/v1/celebrities/{celebrityId}/chats").GetProperty("post").GetProperty("deprecated").GetBoolean());
        Assert.False(paths.GetProperty("/api/v1/celebrities/{celebrityId}/chat-sessions").GetProperty("post").TryGetProperty("deprecated", out _));
        Assert.True(paths.TryGetProperty("/api/v1/celebrities/{celebrityId}/chat-sessions/{chatId}/end", out _));
        Assert.True(paths.TryGetProperty("/api/v1/chats", out _));
    }

    [Fact]
    public async Task An_agent_sees_the_open_chats_of_every_celebrity_it_represents_in_one_list()
    {
        using var op = host.Operator();
        using var fan = await host.AgencyWithFanAsync("api-agency", "api-chat-agency", "api-agency-fan", 50);
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/celebrities/api-agency-two/chat-sessions", new { chatId = "to-two", seconds = 5, message = "hi two" }));
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/celebrities/api-agency-one/chat-sessions", new { chatId = "to-one", seconds = 5, message = "hi one" }));
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/celebrities/api-agency-one/chat-sessions", new { chatId = "ended", seconds = 5, message = "bye" }));
        Expect(HttpStatusCode.OK, await fan.PostAsync("/api/v1/celebrities/api-agency-one/chat-sessions/ended/end", null));
        Expect(HttpStatusCode.Created, await fan.PostAsJsonAsync("/api/v1/celebrities/api-agency-other/chat-sessions", new { chatId = "to-other", seconds = 5, message = "hi other" }));
        using var agency = host.Client(await host.CreateKeyAsync("api-chat-agency", "celebrity"));

        var toAnswer = await agency.GetFromJsonAsync<JsonElement>("/api/v1/chats");

        // Open ones only, of its own celebrities, oldest first.
        Assert.Equal(new[] { "api-agency-two/to-two", "api-agency-one/to-one" },
            toAnswer.EnumerateArray().Select(c => c.GetProperty("celebrityId").GetString() + "/" + c.GetProperty("chatId").GetString()));
        await ExpectProblemAsync(await op.GetAsync("/api/v1/chats"), HttpStatusCode.Forbidden, "forbidden");

        // Once answered, a chat waits on its fan, and those waiting on the agency come first.
        Expect(HttpStatusCode.OK, await agency.PostAsJsonAsync("/api/v1/celebrities/api-agency-two/chat-sessions/to-two/messages", new { text = "hello!" }));
        var afterAnswer = await agency.GetFromJsonAsync<JsonElement>("/api/v1/chats");
        Assert.Equal(new[] { "to-one fan", "to-two celebrity" },
            afterAnswer.EnumerateArray().Select(c => c.GetProperty("chatId").GetString() + " " + c.GetProperty("lastMessageFrom").GetString()));
    }

    [Fact]
    public async Task The_deprecated_chat_burn_still_burns_what_it_names_once_per_redemption_id_for_older_clients()
    {
        await host.ListAndIssueAsync("api-old-chat", 1_000, 10);
        using var fan = await host.FanWithSecondsAsync("api-old-chat", "api-old-chatter", 50);

        var burned = await fan.PostAsJsonAsync("/api/v1/celebrities/api-old-chat/chats", new { redemptionId = "old-1", seconds = 20 });
        var replayed = await fan.PostAsJsonAsync("/api/v1/celebrities/api-old-chat/chats", new { redemptionId = "old-1", seconds = 20 });

        Expect(HttpStatusCode.OK, burned);
        Expect(HttpStatusCode.OK, replayed);
        Assert.Equal((30L, 0L), await SecondsAsync(fan, "api-old-chat"));
        await ExpectProblemAsync(await fan.PostAsJsonAsync("/api/v1/celebrities/api-old-chat/chats", new { redemptionId = "old-1", seconds = 25 }),
            HttpStatusCode.Conflict, "duplicate_request");
    }
}
