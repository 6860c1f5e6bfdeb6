using System.ComponentModel.DataAnnotations;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Grains.Storage;
using Exchange.Abstractions.Http;
using Exchange.Domain.Listing;

namespace Exchange.Silo.Api.Endpoints;

/// <summary>Public market data: anyone may read it, with or without a key.</summary>
public static class CelebritiesEndpoints
{
    private const int MaxSearchLength = 100;

    public static RouteGroupBuilder MapCelebrities(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/celebrities").WithTags("Market data").AllowAnonymous();

        group.MapGet("/", async Task<IResult> (string? category, string? search, bool? traded, string? sort, CelebrityListSnapshot list, CancellationToken cancellationToken) =>
        {
            // A category nobody lists under would give an empty market, which reads as "nobody listed", not as a typo.
            if (category is not null && !CelebrityCategories.IsKnown(category))
            {
                return ProblemResults.BadRequest($"'category' is one of {CelebrityCategories.Listed}, not '{category}'.");
            }

            if (search is { Length: > MaxSearchLength })
            {
                return ProblemResults.BadRequest($"'search' is at most {MaxSearchLength} characters.");
            }

            if (sort is not (null or Gainers or Losers))
            {
                return ProblemResults.BadRequest($"'sort' is {Gainers} (the largest rise since the day's reference price first) or {Losers} (the largest fall first), not '{sort}'.");
            }

            var all = await list.GetAsync(cancellationToken);
            var matching = all.Where(celebrity =>
                (category is null || celebrity.Category == category)
                && (string.IsNullOrWhiteSpace(search) || Mentions(celebrity, search.Trim()))
                && (traded is null || (celebrity.Quote.LastPriceFen is not null) == traded));

            // Celebrities with no trade yet have no move to rank: they follow the others.
            matching = sort switch
            {
                Gainers => matching.OrderBy(celebrity => MoveOf(celebrity) is null).ThenByDescending(MoveOf),
                Losers => matching.OrderBy(celebrity => MoveOf(celebrity) is null).ThenBy(MoveOf),
                _ => matching,
            };
            return TypedResults.Ok(matching.ToList());
        })
            .WithSummary("Every listed celebrity with its quote (shared by this silo's requests for up to a second)")
            .WithDescription("Narrowed by ?category= (one kind), ?search= (a part of the id or name, any case) and ?traded=true or false "
                + "(whether it has a last trade); all that are given must hold. ?sort=gainers or losers ranks by the move of the last trade "
                + "from the day's reference price (today's rise or fall), those with no trade last.")
            .Produces<IReadOnlyList<CelebritySummary>>().ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("/{celebrityId}", async Task<IResult> (string celebrityId, IGrainFactory grains) =>
        {
            if (await SummaryAsync(grains, celebrityId) is not { } summary)
            {
                return UnknownCelebrity(celebrityId);
            }

            var market = await grains.ByKey<IMarketDataGrain>(celebrityId).GetSummary(60);
            return TypedResults.Ok(new CelebrityDetail(summary, market));
        }).WithSummary("One celebrity: profile, quote and market summary")
            .Produces<CelebrityDetail>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{celebrityId}/book", async Task<IResult> (string celebrityId, [Range(1, 100)] int? levels, IGrainFactory grains) =>
            await IsListedAsync(grains, celebrityId)
                ? TypedResults.Ok(await grains.ByKey<IOrderBookGrain>(celebrityId).GetDepth(levels ?? 10))
                : UnknownCelebrity(celebrityId))
            .WithSummary("Order book depth (price levels of bids and asks)")
            .Produces<BookDepth>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{celebrityId}/trades", async Task<IResult> (string celebrityId, [Range(1, 500)] int? limit, IGrainFactory grains, ITradeJournal journal) =>
        {
            if (!await IsListedAsync(grains, celebrityId))
            {
                return UnknownCelebrity(celebrityId);
            }

            var trades = await journal.RecentAsync(celebrityId, limit ?? 50);
            return TypedResults.Ok(trades.Select(t => new PublicTrade(t.TradeId, t.CelebrityId, t.PriceFen, t.Quantity, t.ExecutedAt)).ToList());
        }).WithSummary("Recent trades, newest first")
            .Produces<List<PublicTrade>>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{celebrityId}/candles", async Task<IResult> (string celebrityId, [Range(1, 1440)] int? limit, IGrainFactory grains) =>
            await IsListedAsync(grains, celebrityId)
                ? TypedResults.Ok((await grains.ByKey<IMarketDataGrain>(celebrityId).GetSummary(limit ?? 60)).Candles)
                : UnknownCelebrity(celebrityId))
            .WithSummary("One-minute candles, oldest first")
            .Produces<List<Candle>>().ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static IResult UnknownCelebrity(string celebrityId) =>
        ProblemResults.NotFound(ErrorCodes.UnknownCelebrity, $"No celebrity '{celebrityId}' is listed.");

    /// <summary>Whether an id could name a celebrity at all; longer ones are answered as unknown without a grain for them.</summary>
    public static bool CouldBeCelebrityId(string celebrityId) => celebrityId.Length <= 64;

    /// <summary>The listed celebrity's profile, or null.</summary>
    public static async Task<CelebrityProfile?> ProfileAsync(IGrainFactory grains, string celebrityId) =>
        CouldBeCelebrityId(celebrityId) ? await grains.ByKey<ICelebrityGrain>(celebrityId).GetProfile() : null;

    public static async Task<bool> IsListedAsync(IGrainFactory grains, string celebrityId) =>
        await ProfileAsync(grains, celebrityId) is not null;

    public static async Task<CelebritySummary?> SummaryAsync(IGrainFactory grains, string celebrityId)
    {
        if (await ProfileAsync(grains, celebrityId) is not { } profile)
        {
            return null;
        }

        var quote = await grains.ByKey<IOrderBookGrain>(celebrityId).GetQuote();
        return new CelebritySummary(profile.CelebrityId, profile.DisplayName, profile.Category, profile.AgentId, profile.IssuedSeconds, profile.RedeemedSeconds, quote);
    }

    private const string Gainers = "gainers";
    private const string Losers = "losers";

    /// <summary>The last trade's move from the day's reference price, as a fraction; null without a trade.</summary>
    private static decimal? MoveOf(CelebritySummary celebrity) =>
        celebrity.Quote is { LastPriceFen: { } last, ReferencePriceFen: > 0 and var reference } ? (decimal)(last - reference) / reference : null;

    private static bool Mentions(CelebritySummary celebrity, string text) =>
        celebrity.CelebrityId.Contains(text, StringComparison.OrdinalIgnoreCase) || celebrity.DisplayName.Contains(text, StringComparison.OrdinalIgnoreCase);
}
