using System.Security.Claims;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Abstractions.Http;
using Exchange.Silo.Api.Auth;

namespace Exchange.Silo.Api.Endpoints;

/// <summary>
/// Primary issuance asked for by the celebrity's side: it offers time, an operator accepts (the treasury buys it and
/// offers it on the book) or declines.
/// </summary>
public static class TimeOfferEndpoints
{
    public static RouteGroupBuilder MapTimeOffers(this RouteGroupBuilder api)
    {
        var offers = api.MapGroup("/celebrities/{celebrityId}/offers").WithTags("Primary market").RequireAuthorization();

        offers.MapPost("/", async Task<IResult> (string celebrityId, TimeOfferRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            await RedemptionEndpoints.RefusalForCelebritySideAsync(celebrityId, user, grains, "offer its time")
            ?? ToResult(await Desk(grains).Offer(celebrityId, request.OfferId ?? Guid.NewGuid().ToString("N"), user.AccountId(), request.Seconds, request.PriceFen,
                request.Note?.Trim()), created: true))
            .WithSummary("Offer the platform time to buy (the celebrity, its agent, or an operator)")
            .WithDescription("seconds at priceFen per second, waiting for an operator to accept or decline. Repeating an offerId with the same terms "
                + "answers the offer again (200); with other terms it is refused (duplicate_request). At most 5 wait at once (too_many_offers); a "
                + "flagged or delisted celebrity may offer none.")
            .Produces<TimeOfferView>(StatusCodes.Status201Created).Produces<TimeOfferView>().ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesDomainRefusals();

        offers.MapGet("/", async Task<IResult> (string celebrityId, ClaimsPrincipal user, IGrainFactory grains) =>
            await RedemptionEndpoints.RefusalForCelebritySideAsync(celebrityId, user, grains, "see its offers of time")
            ?? TypedResults.Ok(await Desk(grains).List(celebrityId, pendingOnly: false)))
            .WithSummary("The celebrity's offers of time: those waiting first, then the latest decided, newest first")
            .Produces<List<TimeOfferView>>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        offers.MapDelete("/{offerId}", async Task<IResult> (string celebrityId, string offerId, ClaimsPrincipal user, IGrainFactory grains) =>
            await RedemptionEndpoints.RefusalForCelebritySideAsync(celebrityId, user, grains, "withdraw its offers of time")
            ?? ToResult(await Desk(grains).Withdraw(celebrityId, offerId)))
            .WithSummary("Withdraw an offer still waiting for an operator")
            .Produces<TimeOfferView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesDomainRefusals();

        offers.MapPost("/{offerId}/accept", async Task<IResult> (string celebrityId, string offerId, ClaimsPrincipal user, IGrainFactory grains) =>
            await RedemptionEndpoints.RefusalForCelebritySideAsync(celebrityId, user, grains, "accept counter-offers for its time")
            ?? ToResult(await Desk(grains).AcceptCounter(celebrityId, offerId), withIssuance: true))
            .WithSummary("Accept an operator's counter-offer: the treasury buys the time on its terms and offers it on the book")
            .WithDescription("Only an offer an operator countered (status countered; otherwise 409 offer_not_countered). If the issuance fails the offer " +
                "stays countered, and accepting again tries anew. Accepting an accepted offer answers it again.")
            .Produces<TimeOfferDecision>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesDomainRefusals();

        var admin = api.MapGroup("/admin").WithTags("Operator").RequireAuthorization(ApiRole.Operator);

        admin.MapGet("/offers", async (bool? includeDecided, IGrainFactory grains) =>
            TypedResults.Ok(await Desk(grains).List(null, pendingOnly: includeDecided != true)))
            .WithSummary("Offers of time from every celebrity waiting for a decision (with includeDecided=true, the latest decided too)");

        admin.MapPost("/celebrities/{celebrityId}/offers/{offerId}/accept",
            async Task<IResult> (string celebrityId, string offerId, OfferDecisionRequest? request, IGrainFactory grains) =>
                ToResult(await Desk(grains).Decide(celebrityId, offerId, accept: true, request?.Note?.Trim()), withIssuance: true))
            .WithSummary("Accept an offer of time: the treasury buys it at the asked price and offers it on the book")
            .WithDescription("Answers the offer and the issuance. If the issuance fails (the treasury short of cash: insufficient_funds) the offer "
                + "stays waiting, and accepting it again tries anew. Accepting an accepted offer answers it again.")
            .Produces<TimeOfferDecision>().ProducesDomainRefusals();

        admin.MapPost("/celebrities/{celebrityId}/offers/{offerId}/counter",
            async Task<IResult> (string celebrityId, string offerId, CounterOfferRequest request, IGrainFactory grains) =>
                ToResult(await Desk(grains).Counter(celebrityId, offerId, request.Seconds, request.PriceFen, request.Note?.Trim())))
            .WithSummary("Answer an offer of time with other terms (seconds, priceFen, an optional note): the celebrity's side may accept them")
            .WithDescription("The offer becomes countered: it waits for the celebrity's side to accept (the time is then issued on these terms) or " +
                "withdraw it; operators may counter again or decline it, not accept its first terms. The same counter again answers it again.")
            .Produces<TimeOfferView>().ProducesDomainRefusals();

        admin.MapPost("/celebrities/{celebrityId}/offers/{offerId}/decline",
            async Task<IResult> (string celebrityId, string offerId, OfferDecisionRequest? request, IGrainFactory grains) =>
                ToResult(await Desk(grains).Decide(celebrityId, offerId, accept: false, request?.Note?.Trim())))
            .WithSummary("Decline an offer of time; the note tells the celebrity's side why")
            .Produces<TimeOfferView>().ProducesDomainRefusals();
        return api;
    }

    private static ITimeOfferDeskGrain Desk(IGrainFactory grains) => grains.ByKey<ITimeOfferDeskGrain>(ITimeOfferDeskGrain.Key);

    private static IResult ToResult(TimeOfferResult result, bool created = false, bool withIssuance = false) =>
        result.Error is { } error ? ProblemResults.From(error)
        : withIssuance ? TypedResults.Ok(new TimeOfferDecision(result.Offer!, result.Issuance))
        : created && !result.WasReplay ? TypedResults.Created($"/api/v1/celebrities/{result.Offer!.CelebrityId}/offers", result.Offer)
        : TypedResults.Ok(result.Offer);
}
