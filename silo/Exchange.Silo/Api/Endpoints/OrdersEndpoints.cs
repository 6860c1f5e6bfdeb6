using System.Security.Claims;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Domain.Orders;
using Exchange.Silo.Api.Auth;
using Exchange.Abstractions.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Exchange.Silo.Api.Endpoints;

/// <summary>A fan's own orders. The account always comes from the key, never from the request.</summary>
public static class OrdersEndpoints
{
    /// <summary>What is wrong with a placement's shape before any market rule is asked, or null.</summary>
    private static ExchangeError? Malformed(PlaceOrderRequest request) => request switch
    {
        { Type: OrderType.Limit, PriceFen: null } => new ExchangeError(ErrorCodes.InvalidPrice, "A limit order needs priceFen."),
        { Type: OrderType.Market, PriceFen: not null } => new ExchangeError(ErrorCodes.InvalidRequest, "A market order takes no priceFen."),
        { StopPriceFen: <= 0 } => new ExchangeError(ErrorCodes.InvalidPrice, "stopPriceFen must be a positive number of fen per second."),
        _ => null,
    };

    /// <summary>The orders of one celebrity, or all of them when none is named (the ?celebrityId= of listing and cancelling).</summary>
    private static List<OrderView> OfCelebrity(IEnumerable<OrderView> orders, string? celebrityId) =>
        orders.Where(order => celebrityId is null || order.CelebrityId == celebrityId).ToList();

    private static PlaceOrderCommand CommandOf(PlaceOrderRequest request) =>
        new(request.ClientOrderId, request.CelebrityId, request.Side, request.Type, request.TimeInForce, request.PriceFen ?? 0, request.Quantity, request.StopPriceFen ?? 0);

    public static RouteGroupBuilder MapOrders(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/orders").WithTags("Orders").RequireAuthorization(ApiRole.Fan);

        group.MapPost("/", async Task<IResult> (PlaceOrderRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            if (Malformed(request) is { } malformed)
            {
                return ProblemResults.From(malformed);
            }

            var result = await grains.ByKey<IWalletGrain>(user.AccountId()).PlaceOrder(CommandOf(request));
            if (result.Error is { } error)
            {
                return ProblemResults.From(error);
            }

            // A replayed client order id answers with the original order, and says so with 200 instead of 201.
            return result.WasReplay
                ? TypedResults.Ok(result)
                : TypedResults.Created($"/api/v1/orders/{result.Order!.OrderId}", result);
        }).WithSummary("Place an order (idempotent per clientOrderId)")
            .WithDescription("201 with the new order; 200 with the original one when the same order was placed before with this clientOrderId "
                + "(a retry), 409 duplicate_request when the clientOrderId was used for a different order. "
                + "Refused with 404 for an unknown celebrity and 422 for a market rule (insufficient_funds, insufficient_seconds, price_outside_band, market_halted, "
                + "stop_already_reached...). With stopPriceFen the order waits off the book until a trade reaches that price; it is open meanwhile and holds its reservation.")
            .Produces<OrderResult>(StatusCodes.Status201Created).Produces<OrderResult>()
            .ProducesDomainRefusals();

        group.MapPost("/batch", async Task<IResult> (BatchOrderRequest request, HttpContext context, IGrainFactory grains, IOptions<RateLimiterOptions> limiting, ApiOptions options) =>
        {
            if (request.Orders is not { Count: >= 1 and <= BatchOrderRequest.MaxOrders })
            {
                return ProblemResults.BadRequest($"'orders' holds 1 to {BatchOrderRequest.MaxOrders} orders.");
            }

            // Each order costs a request's permit, as if sent alone: the request itself took one.
            if (request.Orders.Count > 1 && limiting.Value.GlobalLimiter is { } limiter)
            {
                // A window smaller than the batch could never hold it (and the limiter refuses to be asked).
                using var lease = request.Orders.Count - 1 <= options.RateLimitPermits ? limiter.AttemptAcquire(context, request.Orders.Count - 1) : null;
                if (lease is not { IsAcquired: true })
                {
                    return ProblemResults.Problem(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                        $"A batch of {request.Orders.Count} orders needs as many requests' worth of this key's rate limit; send fewer, or retry after the window.");
                }

                if (limiter.GetStatistics(context) is { } statistics)
                {
                    RateLimitHeaders.WriteRemaining(context, options, statistics.CurrentAvailablePermits);
                }
            }

            var wallet = grains.ByKey<IWalletGrain>(context.User.AccountId());
            var outcomes = new List<BatchOrderOutcome>(request.Orders.Count);
            foreach (var order in request.Orders)
            {
                var result = Malformed(order) is { } malformed ? OrderResult.Refused(malformed.Code, malformed.Message) : await wallet.PlaceOrder(CommandOf(order));
                outcomes.Add(result.Error is { } error
                    ? new BatchOrderOutcome(ProblemResults.StatusFor(error.Code), null, error.Code, error.Message)
                    : new BatchOrderOutcome(result.WasReplay ? StatusCodes.Status200OK : StatusCodes.Status201Created, result));
            }

            return TypedResults.Ok(new BatchOrderResult(outcomes));
        }).WithSummary($"Place up to {BatchOrderRequest.MaxOrders} orders in one request, one after another in the order given")
            .WithDescription("200 with an outcome per order, in the order sent: the status a single placement would have answered (201, 200 for a "
                + "replayed clientOrderId, or a refusal's 4xx with its code and detail). One order refused does not stop the others. Each order "
                + "counts against the key's rate limit as a request of its own (429 for the whole batch, placing nothing, when they do not fit). "
                + "If the request fails (503), send it again unchanged: each clientOrderId places its order once.")
            .Produces<BatchOrderResult>();

        group.MapGet("/", async (bool? includeClosed, string? celebrityId, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(OfCelebrity(await grains.ByKey<IWalletGrain>(user.AccountId()).GetOrders(includeClosed ?? false), celebrityId)))
            .WithSummary("The caller's orders, newest first; open ones only unless ?includeClosed=true, and only one celebrity's with ?celebrityId=");

        group.MapDelete("/", async (string? celebrityId, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var wallet = grains.ByKey<IWalletGrain>(user.AccountId());
            var open = OfCelebrity(await wallet.GetOrders(includeClosed: false), celebrityId);
            var results = await Task.WhenAll(open.Select(order => wallet.CancelOrder(order.OrderId)));
            return TypedResults.Ok(new CancelAllResult(
                results.Where(result => result.Error is null).Select(result => result.Order!).ToList(),
                open.Zip(results).Where(pair => pair.Second.Error is not null)
                    .Select(pair => new CancelRefusal(pair.First.OrderId, pair.Second.Error!.Code, pair.Second.Error.Message)).ToList()));
        }).WithSummary("Cancel all the caller's open orders, or those for one celebrity (?celebrityId=)")
            .WithDescription("For a market maker pulling quotes when a price moves: every open order is cancelled at once; one that "
                + "filled or closed meanwhile is listed under refused with the reason.");

        group.MapGet("/{orderId}", async Task<IResult> (string orderId, ClaimsPrincipal user, IGrainFactory grains) =>
            await grains.ByKey<IWalletGrain>(user.AccountId()).GetOrder(orderId) is { } order
                ? TypedResults.Ok(order)
                : ProblemResults.NotFound(ErrorCodes.UnknownOrder, $"You have no order '{orderId}'."))
            .WithSummary("One of the caller's orders")
            .Produces<OrderView>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{orderId}", async Task<IResult> (string orderId, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var result = await grains.ByKey<IWalletGrain>(user.AccountId()).CancelOrder(orderId);
            return result.Error is { } error ? ProblemResults.From(error) : TypedResults.Ok(result);
        }).WithSummary("Cancel one of the caller's open orders")
            .Produces<OrderResult>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPatch("/{orderId}", async Task<IResult> (string orderId, ChangeOrderRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var wallet = grains.ByKey<IWalletGrain>(user.AccountId());
            var result = request switch
            {
                { RemainingQuantity: { } remaining, PriceFen: null } => await wallet.ReduceOrder(orderId, remaining),
                { PriceFen: { } price, RemainingQuantity: null } => await wallet.RepriceOrder(orderId, price),
                _ => null,
            };
            return result is null
                ? ProblemResults.BadRequest("Give either remainingQuantity or priceFen: one change per request.")
                : result.Error is { } error ? ProblemResults.From(error) : TypedResults.Ok(result);
        }).WithSummary("Reduce one of the caller's open orders, keeping its place in the queue, or change its price")
            .WithDescription("Either remainingQuantity or priceFen, not both. remainingQuantity is what the order keeps to trade: fewer "
                + "seconds than it has outstanding, at least 1 (cancel it to remove it). The order keeps its time priority, and the "
                + "reservation for the rest returns through settlement. Asking again for what it already keeps changes nothing (200). "
                + "An increase is refused (invalid_quantity): place another order instead, which queues behind. priceFen gives a "
                + "resting limit order a new price in one step, under the same order id: it queues behind the orders already at that "
                + "price and trades at once if the new price crosses the book (fills are in the answer, as for a new order). Raising "
                + "a buy reserves the difference for what is outstanding first (insufficient_funds otherwise); lowering one gives "
                + "the difference back once the change settles, after any fills at the old price. Refused, "
                + "changing nothing, outside today's band or while trading is halted. Repeating a price change is harmless.")
            .Produces<OrderResult>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return api;
    }
}
