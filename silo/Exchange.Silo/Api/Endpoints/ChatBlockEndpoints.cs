using System.Security.Claims;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Abstractions.Http;
using Exchange.Silo.Api.Auth;

namespace Exchange.Silo.Api.Endpoints;

/// <summary>
/// A celebrity's side stops a fan who harasses it: the fan can no longer open chats with the celebrity, and its open
/// chats end (paid for the time used, as any end). New bookings of its calls and meet-ups are refused too (the scheduler
/// asks the inbox); bookings held already and trading are untouched.
/// </summary>
public static class ChatBlockEndpoints
{
    public const int MaxReasonLength = 200;

    /// <summary>The longest block with an end, in hours (a year); a longer one is a block until lifted.</summary>
    public const int MaxHours = 8_760;

    public static RouteGroupBuilder MapChatBlocks(this RouteGroupBuilder api)
    {
        var blocks = api.MapGroup("/celebrities/{celebrityId}/chat-blocks").WithTags("Redemption").RequireAuthorization();

        blocks.MapGet("/", async Task<IResult> (string celebrityId, ClaimsPrincipal user, IGrainFactory grains) =>
            await RedemptionEndpoints.RefusalForCelebritySideAsync(celebrityId, user, grains, "see whom it blocked")
            ?? TypedResults.Ok(await grains.ByKey<IChatInboxGrain>(celebrityId).ListBlocked()))
            .WithSummary("For the celebrity's side: the fans blocked from opening chats with it, latest first")
            .Produces<List<ChatBlock>>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        blocks.MapPut("/{fanId}", async Task<IResult> (string celebrityId, string fanId, ChatBlockRequest? request, ClaimsPrincipal user, IGrainFactory grains,
            AccountRegistry accounts, TimeProvider time, CancellationToken ct) =>
        {
            if (await RedemptionEndpoints.RefusalForCelebritySideAsync(celebrityId, user, grains, "block fans") is { } refusal)
            {
                return refusal;
            }

            var reason = string.IsNullOrWhiteSpace(request?.Reason) ? null : request.Reason.Trim();
            if (reason is { Length: > MaxReasonLength })
            {
                return ProblemResults.BadRequest($"A reason has at most {MaxReasonLength} characters.");
            }

            if (request?.Hours is < 1 or > MaxHours)
            {
                return ProblemResults.BadRequest($"hours is 1 to {MaxHours:N0} (a year), or left out for a block until lifted.");
            }

            // A mistyped id would block nobody and leave the real fan free to go on.
            if (!ApiKeyIssuer.IsValidAccountId(fanId) || fanId == celebrityId)
            {
                return ProblemResults.BadRequest($"'{fanId}' is not a fan's account id.");
            }

            if (await accounts.UnknownAsync(fanId, ct) is { } unknown)
            {
                return unknown;
            }

            if (await grains.ByKey<IChatInboxGrain>(celebrityId).Block(fanId, user.AccountId(), reason,
                request?.Hours is { } hours ? time.GetUtcNow().AddHours(hours) : null) is not { } outcome)
            {
                return ProblemResults.Problem(StatusCodes.Status409Conflict, ErrorCodes.InvalidRequest,
                    $"'{celebrityId}' has blocked {IChatInboxGrain.MaxBlocked:N0} fans already; unblock some first.");
            }

            // Ended here rather than by the inbox, which the chats call as they change. A repeat of the block ends any left.
            var ended = await Task.WhenAll(outcome.OpenChatIds.Select(chatId =>
                grains.ByKey<IChatSessionGrain>(IChatSessionGrain.KeyOf(celebrityId, chatId)).End(user.AccountId(), fromCelebritySide: true)));
            return TypedResults.Ok(new ChatBlockResult(outcome.Block, ended.Select(result => result.Chat).OfType<ChatView>().Where(chat => !chat.IsOpen).ToList()));
        })
            .WithSummary("For the celebrity's side: stop a fan opening chats with the celebrity and booking its slots (idempotent); the fan's open chats end, " +
                "paid for the time used")
            .WithDescription("The fan then gets 403 chat_blocked when it opens a chat, and 403 booking_blocked when it books a slot. Body (optional): {\"reason\"} up to 200 characters, kept for the " +
                "celebrity's side, and {\"hours\"} (1 to 8,760) for a block that ends by itself (left out: until lifted). A repeat keeps the first " +
                "block and takes the new end (a longer, shorter or lasting block). DELETE the same path lets the fan chat again.")
            .Produces<ChatBlockResult>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesDomainRefusals();

        blocks.MapDelete("/{fanId}", async Task<IResult> (string celebrityId, string fanId, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            if (await RedemptionEndpoints.RefusalForCelebritySideAsync(celebrityId, user, grains, "unblock fans") is { } refusal)
            {
                return refusal;
            }

            await grains.ByKey<IChatInboxGrain>(celebrityId).Unblock(fanId);
            return TypedResults.NoContent();
        })
            .WithSummary("For the celebrity's side: let a blocked fan open chats again (204 whether or not it was blocked)")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }
}
