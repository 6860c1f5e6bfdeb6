using System.Security.Claims;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Domain.Orders;
using Exchange.Silo.Api.Auth;
using Exchange.Abstractions.Http;

namespace Exchange.Silo.Api.Endpoints;

/// <summary>A fan's own orders. The account always comes from the key, never from the request.</summary>
public static class OrdersEndpoints
{
    public static RouteGroupBuilder MapOrders(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/orders").WithTags("Orders").RequireAuthorization(ApiRole.Fan);

        group.MapPost("/", async Task<IResult> (PlaceOrderRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            if (request.Type == OrderType.Limit && request.PriceFen is null)
            {
                return ProblemResults.Problem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidPrice, "A limit order needs priceFen.");
            }

            if (request.Type == OrderType.Market && request.PriceFen is not null)
            {
                return ProblemResults.BadRequest("A market order takes no priceFen.");
            }

            if (request.StopPriceFen is <= 0)
            {
                return ProblemResults.Problem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidPrice, "stopPriceFen must be a positive number of fen per second.");
            }

            var command = new PlaceOrderCommand(request.ClientOrderId, request.CelebrityId, request.Side, request.Type, request.TimeInForce, request.PriceFen ?? 0, request.Quantity,
                request.StopPriceFen ?? 0);
            var result = await grains.ByKey<IWalletGrain>(user.AccountId()).PlaceOrder(command);
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

        group.MapGet("/", async (bool? includeClosed, string? celebrityId, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok((await grains.ByKey<IWalletGrain>(user.AccountId()).GetOrders(includeClosed ?? false))
                .Where(order => celebrityId is null || order.CelebrityId == celebrityId).ToList()))
            .WithSummary("The caller's orders, newest first; open ones only unless ?includeClosed=true, and only one celebrity's with ?celebrityId=");

        group.MapDelete("/", async (string? celebrityId, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var wallet = grains.ByKey<IWalletGrain>(user.AccountId());
            var open = (await wallet.GetOrders(includeClosed: false)).Where(order => celebrityId is null || order.CelebrityId == celebrityId).ToList();
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
