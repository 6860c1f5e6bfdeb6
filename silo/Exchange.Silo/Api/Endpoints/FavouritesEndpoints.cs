using System.Security.Claims;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Abstractions.Http;

namespace Exchange.Silo.Api.Endpoints;

/// <summary>The celebrities an account follows, to find them again among hundreds.</summary>
public static class FavouritesEndpoints
{
    public static RouteGroupBuilder MapFavourites(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/me/favourites").WithTags("Account").RequireAuthorization();

        group.MapGet("/", async (ClaimsPrincipal user, IGrainFactory grains, CelebrityListSnapshot list, CancellationToken cancellationToken) =>
        {
            var ids = await grains.ByKey<IFavouritesGrain>(user.AccountId()).Get();
            var listed = (await list.GetAsync(cancellationToken)).ToDictionary(celebrity => celebrity.CelebrityId);
            return TypedResults.Ok(ids.Select(id => listed.GetValueOrDefault(id)).OfType<CelebritySummary>().ToList());
        })
            .WithSummary("The celebrities the caller follows, in the order it added them, each with its quote (as in GET /api/v1/celebrities)");

        group.MapPut("/{celebrityId}", async Task<IResult> (string celebrityId, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            if (!CelebritiesEndpoints.CouldBeCelebrityId(celebrityId) || await CelebritiesEndpoints.SummaryAsync(grains, celebrityId) is null)
            {
                return CelebritiesEndpoints.UnknownCelebrity(celebrityId);
            }

            return await grains.ByKey<IFavouritesGrain>(user.AccountId()).Add(celebrityId)
                ? TypedResults.NoContent()
                : ProblemResults.Problem(StatusCodes.Status409Conflict, ErrorCodes.TooManyFavourites,
                    $"An account follows at most {IFavouritesGrain.Max} celebrities; remove one first.");
        })
            .WithSummary("Follow a celebrity (again is harmless)")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{celebrityId}", async (string celebrityId, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await grains.ByKey<IFavouritesGrain>(user.AccountId()).Remove(celebrityId);
            return TypedResults.NoContent();
        })
            .WithSummary("Stop following a celebrity (one not followed is no error)")
            .Produces(StatusCodes.Status204NoContent);
        return api;
    }
}
