using System.Security.Claims;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Abstractions.Http;
using Exchange.Domain.Redemption;
using Exchange.Silo.Api.Auth;

namespace Exchange.Silo.Api.Endpoints;

/// <summary>Slots, bookings and chats. Celebrities (or their agents) and operators manage slots; fans book them.</summary>
public static class RedemptionEndpoints
{
    public static RouteGroupBuilder MapRedemption(this RouteGroupBuilder api)
    {
        var slots = api.MapGroup("/celebrities/{celebrityId}/slots").WithTags("Redemption");

        slots.MapGet("/", async Task<IResult> (string celebrityId, bool? includeClosed, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            if (await CelebritiesEndpoints.ProfileAsync(grains, celebrityId) is not { } profile)
            {
                return CelebritiesEndpoints.UnknownCelebrity(celebrityId);
            }

            var published = await grains.ByKey<ISchedulerGrain>(celebrityId).GetSlots(includeClosed ?? false);
            if (MayActFor(user, profile))
            {
                return TypedResults.Ok(published);
            }

            // Who booked which slot, and how to join it, say where and when a fan will meet a celebrity: only the fan, the
            // celebrity's side and operators may see them.
            var caller = user.IsInRole(ApiRole.Fan) ? user.AccountId() : null;
            return TypedResults.Ok(published.Select(slot => ForFan(slot, caller)).ToList());
        })
            .AllowAnonymous()
            .WithSummary("Published slots (video calls and meet-ups); who booked a slot only for that fan, the celebrity, its agent and operators")
            .Produces<List<SlotView>>().ProducesProblem(StatusCodes.Status404NotFound);

        slots.MapPost("/", (string celebrityId, PublishSlotRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            AsCelebrityAsync(celebrityId, user, grains, scheduler =>
                scheduler.Publish(new SlotRequest(request.SlotId, request.Start, TimeSpan.FromMinutes(request.DurationMinutes), request.Kind, request.Location,
                    request.Seconds ?? 0, request.JoiningDetails)), created: true))
            .RequireAuthorization()
            .WithSummary("Publish a slot (the celebrity, the celebrity's agent, or an operator)")
            .WithDescription("start carries its offset from UTC (2026-12-24T18:00:00Z or 2026-12-25T02:00:00+08:00). seconds, what a booking "
                + "holds, is at least the tier's minimum (600 for a video call, 7,500 for a meet-up), which is also what leaving it out means; "
                + "less is refused (invalid_quantity). A slot may not overlap another the celebrity keeps (slot_overlaps). joiningDetails (up to 500 "
                + "characters: a video call's link, where exactly to meet) are shown only to the fan who books the slot.")
            .Produces<SlotView>(StatusCodes.Status201Created).Produces<SlotView>().ProducesDomainRefusals();

        slots.MapPost("/{slotId}/details", (string celebrityId, string slotId, JoiningDetailsRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            AsCelebrityAsync(celebrityId, user, grains, scheduler => scheduler.SetJoiningDetails(slotId, request.JoiningDetails)))
            .RequireAuthorization()
            .WithSummary("Say how to join an open or booked slot (a video call's link, where exactly to meet); only the fan who books it sees this")
            .Produces<SlotView>().ProducesDomainRefusals();

        slots.MapPost("/{slotId}/cancel", (string celebrityId, string slotId, ClaimsPrincipal user, IGrainFactory grains) =>
            AsCelebrityAsync(celebrityId, user, grains, scheduler => scheduler.CancelByCelebrity(slotId)))
            .RequireAuthorization()
            .WithSummary("Withdraw an open slot, or cancel a booked one (the fan's seconds are returned)")
            .Produces<SlotView>().ProducesDomainRefusals();

        slots.MapPost("/{slotId}/fulfil", (string celebrityId, string slotId, ClaimsPrincipal user, IGrainFactory grains) =>
            AsCelebrityAsync(celebrityId, user, grains, scheduler => scheduler.Fulfil(slotId)))
            .RequireAuthorization()
            .WithSummary("Report the contact done: the held seconds are redeemed")
            .Produces<SlotView>().ProducesDomainRefusals();

        slots.MapPost("/{slotId}/no-show", (string celebrityId, string slotId, ClaimsPrincipal user, IGrainFactory grains) =>
            AsCelebrityAsync(celebrityId, user, grains, scheduler => scheduler.ReportFanNoShow(slotId)))
            .RequireAuthorization()
            .WithSummary("Report that the fan did not come: the held seconds are redeemed all the same")
            .Produces<SlotView>().ProducesDomainRefusals();

        slots.MapPost("/{slotId}/booking", async Task<IResult> (string celebrityId, string slotId, ClaimsPrincipal user, IGrainFactory grains) =>
            ToResult(await grains.ByKey<ISchedulerGrain>(celebrityId).Book(slotId, user.AccountId()), created: true, fanId: user.AccountId()))
            .RequireAuthorization(ApiRole.Fan)
            .WithSummary("Book a slot: holds the tier's seconds from your available seconds")
            .Produces<SlotView>(StatusCodes.Status201Created).Produces<SlotView>().ProducesDomainRefusals();

        slots.MapDelete("/{slotId}/booking", async Task<IResult> (string celebrityId, string slotId, ClaimsPrincipal user, IGrainFactory grains) =>
            ToResult(await grains.ByKey<ISchedulerGrain>(celebrityId).CancelByFan(slotId, user.AccountId()), fanId: user.AccountId()))
            .RequireAuthorization(ApiRole.Fan)
            .WithSummary("Cancel your booking (until the cut-off before the start)")
            .Produces<SlotView>().ProducesDomainRefusals();

        api.MapPost("/celebrities/{celebrityId}/chats", async Task<IResult> (string celebrityId, ChatRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var result = await grains.ByKey<ISchedulerGrain>(celebrityId).RedeemChat(request.RedemptionId, user.AccountId(), request.Seconds);
            return result.Succeeded ? TypedResults.Ok(await grains.ByKey<IWalletGrain>(user.AccountId()).GetSnapshot()) : ProblemResults.From(result.Error!);
        })
            .WithTags("Redemption")
            .RequireAuthorization(ApiRole.Fan)
            .WithSummary("Redeem seconds for a text chat held elsewhere: burns the seconds named (idempotent per redemptionId)")
            .WithDescription("Kept for clients written before chats were sessions: use POST /api/v1/celebrities/{celebrityId}/chat-sessions, "
                + "where the celebrity answers and the fan pays only for the time from that answer to the end.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Deprecated = true;
                return Task.CompletedTask;
            })
            .Produces<WalletSnapshot>().ProducesDomainRefusals();

        // A chat's hold is the wallet's too, but it is listed with the chats (GET /api/v1/chats), not as a booking of a slot.
        api.MapGet("/bookings", async (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok((await grains.ByKey<IWalletGrain>(user.AccountId()).GetBookings()).Where(booking => booking.Kind != SlotKind.TextChat).ToList()))
            .WithTags("Redemption")
            .RequireAuthorization(ApiRole.Fan)
            .WithSummary("Your bookings and what became of their seconds");

        return api;
    }

    private static async Task<IResult> AsCelebrityAsync(string celebrityId, ClaimsPrincipal user, IGrainFactory grains, Func<ISchedulerGrain, Task<SlotResult>> action, bool created = false) =>
        await RefusalForCelebritySideAsync(celebrityId, user, grains, "manage its slots") ?? ToResult(await action(grains.ByKey<ISchedulerGrain>(celebrityId)), created);

    /// <summary>
    /// Null when the caller may act for the celebrity (<see cref="MayActFor"/>); else the answer: unknown celebrity, or
    /// forbidden to do what <paramref name="doing"/> says.
    /// </summary>
    internal static async Task<IResult?> RefusalForCelebritySideAsync(string celebrityId, ClaimsPrincipal user, IGrainFactory grains, string doing) =>
        await CelebritiesEndpoints.ProfileAsync(grains, celebrityId) is not { } profile ? CelebritiesEndpoints.UnknownCelebrity(celebrityId)
        : !MayActFor(user, profile) ? ProblemResults.Problem(StatusCodes.Status403Forbidden, "forbidden", $"Only '{celebrityId}', its agent or an operator may {doing}.")
        : null;

    /// <summary>
    /// The upkeep of a feed the celebrity's side opened (<see cref="Feed.KeyCheck.StopFeedWith"/>): it runs
    /// <paramref name="stop"/> once the caller may no longer act for the celebrity, as an agent replaced by another.
    /// </summary>
    internal static Func<Task> StopWhenNoLongerActingFor(string celebrityId, ClaimsPrincipal user, IGrainFactory grains, Action stop) => async () =>
    {
        if (await RefusalForCelebritySideAsync(celebrityId, user, grains, "follow it") is not null)
        {
            stop();
        }
    };

    /// <summary>A celebrity key acts for its own celebrity id or for the celebrities it is the agent of; operators for all.</summary>
    private static bool MayActFor(ClaimsPrincipal user, CelebrityProfile profile)
    {
        if (user.IsInRole(ApiRole.Operator))
        {
            return true;
        }

        var account = user.FindFirstValue(ClaimTypes.NameIdentifier);
        return user.IsInRole(ApiRole.Celebrity) && account is not null && ActsFor(account, profile.CelebrityId, profile.AgentId);
    }

    /// <summary>Whether a celebrity key's account is the celebrity itself or its agent (none when the agent id is empty).</summary>
    internal static bool ActsFor(string accountId, string celebrityId, string agentId) =>
        accountId == celebrityId || (agentId.Length > 0 && accountId == agentId);

    /// <summary>A fan's answers carry no slot as a fan cancelled it, unbooked or booked by another: how to join is not its to see.</summary>
    private static IResult ToResult(SlotResult result, bool created = false, string? fanId = null)
    {
        if (result.Error is { } error)
        {
            return ProblemResults.From(error);
        }

        var slot = fanId is null ? result.Slot! : ForFan(result.Slot!, fanId);
        return created && !result.WasReplay ? TypedResults.Created($"/api/v1/celebrities/{slot.CelebrityId}/slots", slot) : TypedResults.Ok(slot);
    }

    /// <summary>A slot as a fan (or the public, with null) may see it: who booked it and how to join only if it is theirs.</summary>
    private static SlotView ForFan(SlotView slot, string? fanId) =>
        slot.FanId is not null && slot.FanId == fanId ? slot : slot with { FanId = null, JoiningDetails = null };
}
