using System.Security.Claims;
using System.Text.RegularExpressions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Abstractions.Http;
using Exchange.Domain.Redemption;
using Exchange.Silo.Api.Auth;

namespace Exchange.Silo.Api.Endpoints;

/// <summary>
/// Text chats paid in a celebrity's seconds: a fan opens one, both sides write, either ends it. The fan acts on its own
/// chats; the celebrity, its agent and operators on all of the celebrity's.
/// </summary>
public static partial class ChatEndpoints
{
    /// <summary>The latest chats a fan's list reads; each is a call of its own.</summary>
    private const int FanListLimit = 50;

    public static RouteGroupBuilder MapChats(this RouteGroupBuilder api)
    {
        var chats = api.MapGroup("/celebrities/{celebrityId}/chat-sessions").WithTags("Redemption").RequireAuthorization();

        chats.MapPost("/", async Task<IResult> (string celebrityId, OpenChatRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var chatId = request.ChatId ?? Guid.NewGuid().ToString("N");
            if (!ValidChatId().IsMatch(chatId) || chatId == ChatFeedEndpoints.FeedSegment)
            {
                return ProblemResults.Problem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest,
                    $"A chatId has 1 to 64 letters, digits, '.', '_' or '-', and is not '{ChatFeedEndpoints.FeedSegment}' (the chats' feed).");
            }

            return ToResult(await Chat(grains, celebrityId, chatId).Open(user.AccountId(), request.Seconds, request.Message), created: true);
        })
            .RequireAuthorization(ApiRole.Fan)
            .WithSummary("Open a text chat with its first message, holding seconds of the celebrity's time (idempotent per chatId)")
            .WithDescription("seconds (1-3,600) are held from your available seconds of this celebrity. The chat uses the time from the "
                + "celebrity's first answer to its last message (rounded up, at least 1 s, at most what it holds); that is burned when it ends and the "
                + "rest returned, so an unanswered chat costs nothing. It ends when either side ends it, when its held seconds are used up, with "
                + "nobody writing for 5 min, or unanswered after 24 h. At most 3 open with one celebrity (too_many_chats). A chatId repeated with "
                + "the same seconds answers the chat (200).")
            .Produces<ChatView>(StatusCodes.Status201Created).Produces<ChatView>().ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesDomainRefusals();

        chats.MapGet("/", async Task<IResult> (string celebrityId, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            if (user.IsInRole(ApiRole.Fan))
            {
                return await CelebritiesEndpoints.ProfileAsync(grains, celebrityId) is null
                    ? CelebritiesEndpoints.UnknownCelebrity(celebrityId)
                    : TypedResults.Ok(await grains.ByKey<IChatInboxGrain>(celebrityId).List(user.AccountId()));
            }

            return await RedemptionEndpoints.RefusalForCelebritySideAsync(celebrityId, user, grains, "read its chats")
                   ?? TypedResults.Ok(await grains.ByKey<IChatInboxGrain>(celebrityId).List(null));
        })
            .WithSummary("Chats with the celebrity (a fan: its own; the celebrity's side: all), open ones oldest first, then the latest ended")
            .Produces<List<ChatView>>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        chats.MapGet("/{chatId}", async Task<IResult> (string celebrityId, string chatId, ClaimsPrincipal user, IGrainFactory grains) =>
            await RefusalAsync(celebrityId, user, grains)
            ?? (await Chat(grains, celebrityId, chatId).Get(FanOrNull(user)) is { } chat ? TypedResults.Ok(chat) : UnknownChat(celebrityId, chatId)))
            .WithSummary("A chat with its messages")
            .Produces<ChatView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        chats.MapPost("/{chatId}/messages", async Task<IResult> (string celebrityId, string chatId, ChatMessageRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            await RefusalAsync(celebrityId, user, grains)
            ?? ToResult(await Chat(grains, celebrityId, chatId).Post(user.AccountId(), FanOrNull(user) is null, request.Text)))
            .WithSummary("Write in a chat (1-1,000 characters); the celebrity side's first message starts the clock")
            .Produces<ChatView>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesDomainRefusals();

        chats.MapPost("/{chatId}/end", async Task<IResult> (string celebrityId, string chatId, ClaimsPrincipal user, IGrainFactory grains) =>
            await RefusalAsync(celebrityId, user, grains)
            ?? ToResult(await Chat(grains, celebrityId, chatId).End(user.AccountId(), FanOrNull(user) is null)))
            .WithSummary("End a chat: the seconds it used are burned and the rest returned to the fan (ending it again answers it, 200)")
            .Produces<ChatView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesDomainRefusals();

        api.MapGet("/celebrities/{celebrityId}/chat-responsiveness", async Task<IResult> (string celebrityId, IGrainFactory grains) =>
            await CelebritiesEndpoints.ProfileAsync(grains, celebrityId) is null
                ? CelebritiesEndpoints.UnknownCelebrity(celebrityId)
                : TypedResults.Ok(await grains.ByKey<IChatInboxGrain>(celebrityId).GetResponsiveness()))
            .WithTags("Redemption")
            .AllowAnonymous()
            .WithSummary("How quickly a celebrity answers chats: of its latest decided chats (answered, or ended unanswered by its side or after " +
                "24 h), how many it answered, and the median seconds to the first answer")
            .Produces<ChatResponsivenessView>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/chats", async Task<IResult> (ClaimsPrincipal user, IGrainFactory grains, CelebrityListSnapshot list, CancellationToken ct) =>
        {
            if (user.IsInRole(ApiRole.Celebrity))
            {
                return TypedResults.Ok(await OpenChatsOfCelebritySideAsync(user.AccountId(), grains, list, ct));
            }

            if (!user.IsInRole(ApiRole.Fan))
            {
                return ProblemResults.Problem(StatusCodes.Status403Forbidden, "forbidden",
                    "Operators read one celebrity's chats at /api/v1/celebrities/{celebrityId}/chat-sessions.");
            }

            var holds = await LatestChatHoldsAsync(grains, user.AccountId());
            var found = await Task.WhenAll(holds.Select(hold => Chat(grains, hold.CelebrityId, hold.SlotId).GetSummary(user.AccountId())));
            return TypedResults.Ok(found.OfType<ChatView>().OrderBy(chat => chat.IsOpen ? 0 : 1).ThenByDescending(chat => chat.OpenedAt).ToList());
        })
            .WithTags("Redemption")
            .RequireAuthorization()
            .WithSummary("A fan's latest chats with every celebrity, open ones first; for a celebrity or agent key, the open chats of every celebrity it acts for, " +
                "those where the fan spoke last (lastMessageFrom) first, each part oldest first")
            .Produces<List<ChatView>>().ProducesProblem(StatusCodes.Status403Forbidden);

        return api;
    }

    /// <summary>
    /// What an agent (or a celebrity) has to answer: the open chats of every celebrity it acts for, those where the fan
    /// spoke last first, each part oldest first, so that it need not look at each of its celebrities in turn.
    /// </summary>
    private static async Task<List<ChatView>> OpenChatsOfCelebritySideAsync(string accountId, IGrainFactory grains, CelebrityListSnapshot list, CancellationToken ct)
    {
        var inboxes = await Task.WhenAll((await CelebritiesActedForAsync(accountId, list, ct)).Select(id => grains.ByKey<IChatInboxGrain>(id).List(null)));
        return inboxes.SelectMany(inbox => inbox).Where(chat => chat.IsOpen)
            .OrderBy(chat => chat.LastMessageFrom == "fan" ? 0 : 1).ThenBy(chat => chat.OpenedAt).ToList();
    }

    /// <summary>A fan's latest chats as its wallet holds them (open ones, and the latest ended), newest first.</summary>
    internal static async Task<List<BookingView>> LatestChatHoldsAsync(IGrainFactory grains, string fanId) =>
        (await grains.ByKey<IWalletGrain>(fanId).GetBookings())
            .Where(booking => booking.Kind == SlotKind.TextChat)
            .OrderByDescending(booking => booking.Start)
            .Take(FanListLimit)
            .ToList();

    /// <summary>The listed celebrities a celebrity key's account acts for: itself, or those it is the agent of.</summary>
    internal static async Task<List<string>> CelebritiesActedForAsync(string accountId, CelebrityListSnapshot list, CancellationToken ct) =>
        (await list.GetAsync(ct)).Where(celebrity => RedemptionEndpoints.ActsFor(accountId, celebrity.CelebrityId, celebrity.AgentId))
            .Select(celebrity => celebrity.CelebrityId).ToList();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex ValidChatId();

    internal static IChatSessionGrain Chat(IGrainFactory grains, string celebrityId, string chatId) =>
        grains.ByKey<IChatSessionGrain>(IChatSessionGrain.KeyOf(celebrityId, chatId));

    /// <summary>A fan acts as the chat's fan (the grain checks it is); anyone else must act for the celebrity.</summary>
    private static string? FanOrNull(ClaimsPrincipal user) => user.IsInRole(ApiRole.Fan) ? user.AccountId() : null;

    private static async Task<IResult?> RefusalAsync(string celebrityId, ClaimsPrincipal user, IGrainFactory grains) =>
        user.IsInRole(ApiRole.Fan) ? null : await RedemptionEndpoints.RefusalForCelebritySideAsync(celebrityId, user, grains, "take part in its chats");

    internal static IResult UnknownChat(string celebrityId, string chatId) =>
        ProblemResults.From(new ExchangeError(ErrorCodes.UnknownChat, $"No chat '{chatId}' with '{celebrityId}'."));

    private static IResult ToResult(ChatResult result, bool created = false) =>
        result.Error is { } error ? ProblemResults.From(error)
        : created && !result.WasReplay ? TypedResults.Created($"/api/v1/celebrities/{result.Chat!.CelebrityId}/chat-sessions/{result.Chat.ChatId}", result.Chat)
        : TypedResults.Ok(result.Chat);
}
