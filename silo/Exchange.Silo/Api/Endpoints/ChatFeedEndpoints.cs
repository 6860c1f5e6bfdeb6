using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Threading.Channels;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Abstractions.Http;
using Exchange.Silo.Api.Auth;
using Exchange.Silo.Api.Feed;

namespace Exchange.Silo.Api.Endpoints;

/// <summary>
/// Chats as they happen, as Server-Sent Events, so that a conversation need not be polled: one chat for its fan and the
/// celebrity's side, every chat of a celebrity for its side (what it has to answer), and the caller's own across
/// celebrities. Like every live feed they are best effort; a client that reconnects reads the chat again (a one-chat
/// feed's ready event carries it).
/// </summary>
public static class ChatFeedEndpoints
{
    /// <summary>The chat id the celebrity-wide feed's route takes; no chat may be opened under it.</summary>
    public const string FeedSegment = "feed";

    public static RouteGroupBuilder MapChatFeeds(this RouteGroupBuilder api)
    {
        var chats = api.MapGroup("/celebrities/{celebrityId}/chat-sessions").WithTags("Redemption").RequireAuthorization();

        chats.MapGet("/" + FeedSegment, async Task<IResult> (string celebrityId, ClaimsPrincipal user, IGrainFactory grains, ChatFeed feed,
            KeyCheck keyCheck, FeedQuota quota, HttpContext context) =>
        {
            // It names the fans and carries what they write: only the celebrity's side may listen.
            if (await RedemptionEndpoints.RefusalForCelebritySideAsync(celebrityId, user, grains, "follow all its chats") is { } refusal)
            {
                return refusal;
            }

            if (!quota.TryTakeFor(user.AccountId(), context))
            {
                return quota.TooMany();
            }

            var reader = await ListenAsync(feed, celebrityId, null, keyCheck, context, grains, celebritySide: true);
            return TypedResults.ServerSentEvents(AllChatsAsync(reader, FeedEndpoints.FeedEnds(context)));
        })
            .WithSummary("For the celebrity, its agent and operators: every chat of the celebrity as it changes (a chat opened comes with its " +
                "first message), as Server-Sent Events after a ready event")
            .WithDescription("Events: ready; message (chat: the chat after it, without its messages; message: what was written); chat (the chat " +
                "changed without a message: it ended). Best effort: read the chats list after ready and after reconnecting.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapGet("/chats/" + FeedSegment, async Task<IResult> (ClaimsPrincipal user, IGrainFactory grains, ChatFeed feed, CelebrityListSnapshot list,
            KeyCheck keyCheck, FeedQuota quota, HeldCelebritiesWatch heldWatch, HttpContext context) =>
        {
            var fan = user.IsInRole(ApiRole.Fan);
            if (!fan && !user.IsInRole(ApiRole.Celebrity))
            {
                return ProblemResults.Problem(StatusCodes.Status403Forbidden, "forbidden",
                    "Operators follow one celebrity's chats at /api/v1/celebrities/{celebrityId}/chat-sessions/feed.");
            }

            if (!quota.TryTakeFor(user.AccountId(), context))
            {
                return quota.TooMany();
            }

            if (!fan)
            {
                var actedFor = await ChatEndpoints.CelebritiesActedForAsync(user.AccountId(), list, context.RequestAborted);
                var (agentFeedId, agentReader) = await feed.ListenAsync(actedFor);
                // A celebrity listed with this agent after it connected is heard from the next check of its key.
                keyCheck.StopFeedWith(context, () => feed.Stop(agentFeedId), async () =>
                {
                    var now = await ChatEndpoints.CelebritiesActedForAsync(user.AccountId(), list, context.RequestAborted);
                    if (!now.ToHashSet().SetEquals(actedFor))
                    {
                        await feed.RetargetAsync(agentFeedId, now);
                        actedFor = now;
                    }
                });
                return TypedResults.ServerSentEvents(AllChatsAsync(agentReader, FeedEndpoints.FeedEnds(context)));
            }

            // A fan's chats are on the streams of the celebrities it chats with; only its own are let through. A chat it opens
            // with another celebrity holds seconds, which its wallet tells the watch of, so that celebrity is heard from then on.
            var held = await heldWatch.OpenAsync(context, user.AccountId());
            var celebrities = (await ChatEndpoints.LatestChatHoldsAsync(grains, user.AccountId())).Select(hold => hold.CelebrityId).Distinct().ToList();
            var (id, reader) = await feed.ListenAsync(celebrities, user.AccountId());
            keyCheck.StopFeedWith(context, () => feed.Stop(id));
            held.Widen(celebrities, async (all, added) =>
            {
                await feed.RetargetAsync(id, all);
                // Its opening may have been published before this silo listened: the chat as it stands now says it began.
                var opened = (await ChatEndpoints.LatestChatHoldsAsync(grains, user.AccountId())).Where(hold => hold.Status == BookingView.Held && added.Contains(hold.CelebrityId));
                foreach (var chat in await Task.WhenAll(opened.Select(hold => ChatEndpoints.Chat(grains, hold.CelebrityId, hold.SlotId).GetSummary(user.AccountId()))))
                {
                    if (chat is not null)
                    {
                        feed.Tell(id, new ChatEvent(chat, null));
                    }
                }
            });
            return TypedResults.ServerSentEvents(AllChatsAsync(reader, FeedEndpoints.FeedEnds(context)));
        })
            .WithTags("Redemption")
            .RequireAuthorization()
            .WithSummary("The caller's chats as they change, as the celebrity-wide chat feed sends them: for a fan, its own chats (with the " +
                "celebrities of its latest chats, and any it first chats with after connecting); for a celebrity or agent key, every chat of every " +
                "celebrity it acts for, one listed with the agent after connecting included (within half a minute)")
            .WithDescription("Events as the celebrity-wide chat feed's, and on a fan's feed a chat event for each open chat with a celebrity it " +
                "began to hear after connecting: the chat as it stands, since its opening may have come before the feed listened.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status429TooManyRequests);

        chats.MapGet("/{chatId}/" + FeedSegment, async Task<IResult> (string celebrityId, string chatId, ClaimsPrincipal user, IGrainFactory grains, ChatFeed feed,
            KeyCheck keyCheck, FeedQuota quota, HttpContext context) =>
        {
            var fanId = user.IsInRole(ApiRole.Fan) ? user.AccountId() : null;
            if (fanId is null && await RedemptionEndpoints.RefusalForCelebritySideAsync(celebrityId, user, grains, "follow its chats") is { } refusal)
            {
                return refusal;
            }

            // Checked before this silo subscribes to anything: a feed of a chat that does not exist would otherwise leave a
            // subscription behind for any celebrity id a caller makes up.
            var chat = grains.ByKey<IChatSessionGrain>(IChatSessionGrain.KeyOf(celebrityId, chatId));
            if (await chat.GetSummary(fanId) is null)
            {
                return ChatEndpoints.UnknownChat(celebrityId, chatId);
            }

            if (!quota.TryTakeFor(user.AccountId(), context))
            {
                return quota.TooMany();
            }

            // Listening before reading: a message written in between is in both, and its revision tells the feed it was sent.
            var reader = await ListenAsync(feed, celebrityId, chatId, keyCheck, context, grains, celebritySide: fanId is null);
            var snapshot = (await chat.Get(fanId))!;
            return TypedResults.ServerSentEvents(OneChatAsync(snapshot, reader, FeedEndpoints.FeedEnds(context)));
        })
            .WithSummary("A chat as it happens, for its fan and the celebrity's side: a ready event with the chat and its messages, then each " +
                "message and change as Server-Sent Events, until the chat ends")
            .WithDescription("Events: ready (chat: the chat with its messages); message (chat: the chat after it, without its messages; message: " +
                "what was written); chat (it ended; the feed closes after it). Best effort: after reconnecting, the ready event carries the chat again.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);

        return api;
    }

    /// <summary>A feed of the celebrity's side also ends when the caller no longer acts for the celebrity.</summary>
    private static async Task<ChannelReader<ChatEvent>> ListenAsync(ChatFeed feed, string celebrityId, string? chatId, KeyCheck keyCheck, HttpContext context,
        IGrainFactory grains, bool celebritySide)
    {
        var (id, reader) = await feed.ListenAsync(celebrityId, chatId);
        keyCheck.StopFeedWith(context, () => feed.Stop(id),
            celebritySide ? RedemptionEndpoints.StopWhenNoLongerActingFor(celebrityId, context.User, grains, () => feed.Stop(id)) : null);
        return reader;
    }

    private static async IAsyncEnumerable<SseItem<ChatFeedEvent>> OneChatAsync(ChatView snapshot, ChannelReader<ChatEvent> reader,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new SseItem<ChatFeedEvent>(new ChatFeedEvent(ChatFeedEvent.Ready, snapshot, null), ChatFeedEvent.Ready);
        if (!snapshot.IsOpen)
        {
            yield break;
        }

        await foreach (var change in FeedEndpoints.UntilClosedAsync(reader, cancellationToken))
        {
            if (change.Chat.Revision <= snapshot.Revision)
            {
                continue;
            }

            yield return ItemOf(change);
            if (!change.Chat.IsOpen)
            {
                yield break;
            }
        }
    }

    private static async IAsyncEnumerable<SseItem<ChatFeedEvent>> AllChatsAsync(ChannelReader<ChatEvent> reader,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new SseItem<ChatFeedEvent>(new ChatFeedEvent(ChatFeedEvent.Ready, null, null), ChatFeedEvent.Ready);
        await foreach (var change in FeedEndpoints.UntilClosedAsync(reader, cancellationToken))
        {
            yield return ItemOf(change);
        }
    }

    private static SseItem<ChatFeedEvent> ItemOf(ChatEvent change)
    {
        var kind = change.Message is null ? ChatFeedEvent.Changed : ChatFeedEvent.NewMessage;
        return new SseItem<ChatFeedEvent>(new ChatFeedEvent(kind, change.Chat, change.Message), kind);
    }
}
