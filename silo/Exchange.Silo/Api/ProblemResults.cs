using Exchange.Abstractions.Contracts;

namespace Exchange.Silo.Api;

/// <summary>
/// Every refusal is an RFC 7807 problem with a stable <c>code</c> extension. The status says what kind of refusal:
/// 400 malformed, 403 forbidden, 404 missing, 409 conflicting with current state, 422 against a market rule.
/// </summary>
public static class ProblemResults
{
    public const string TypeBase = "https://celebrity-exchange.example/problems/";

    public static IResult From(ExchangeError error) => Problem(StatusFor(error.Code), error.Code, error.Message);

    public static IResult Problem(int status, string code, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: TitleFor(code), type: TypeBase + code,
            extensions: new Dictionary<string, object?> { ["code"] = code });

    public static IResult NotFound(string code, string detail) => Problem(StatusCodes.Status404NotFound, code, detail);

    public static IResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, detail);

    /// <summary>
    /// Declares, for the OpenAPI document, the refusals <see cref="From"/> answers for a domain rule: missing (404),
    /// conflicting with current state (409), against a market rule (422). 400, 401, 403 and 429 every endpoint gets
    /// from <see cref="ExchangeOpenApi"/>.
    /// </summary>
    public static RouteHandlerBuilder ProducesDomainRefusals(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.InvalidQuantity or ErrorCodes.InvalidPrice or ErrorCodes.InvalidAmount or ErrorCodes.InvalidRequest => StatusCodes.Status400BadRequest,
        ErrorCodes.NotYourOrder or ErrorCodes.NotYourBooking or ErrorCodes.ReadOnlyKey or ErrorCodes.AccountSuspended or ErrorCodes.ChatBlocked or ErrorCodes.BookingBlocked => StatusCodes.Status403Forbidden,
        ErrorCodes.UnknownCelebrity or ErrorCodes.UnknownOrder or ErrorCodes.UnknownSlot or ErrorCodes.UnknownWithdrawal or ErrorCodes.UnknownAccount or ErrorCodes.UnknownKey or ErrorCodes.UnknownOffer or ErrorCodes.UnknownChat => StatusCodes.Status404NotFound,
        ErrorCodes.AlreadyListed or ErrorCodes.CelebrityDelisted or ErrorCodes.PaymentConflict or ErrorCodes.WithdrawalDecided or ErrorCodes.DuplicateRequest or ErrorCodes.OrderNotOpen or ErrorCodes.SlotUnavailable or ErrorCodes.SlotOverlaps or ErrorCodes.StopNotTriggered or ErrorCodes.TooManyKeys or ErrorCodes.TooManyFavourites or ErrorCodes.OfferDecided or ErrorCodes.OfferCountered or ErrorCodes.OfferNotCountered or ErrorCodes.TooManyOffers or ErrorCodes.ChatEnded or ErrorCodes.TooManyChats => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status422UnprocessableEntity,
    };


    /// <summary>Codes for problems the framework raises itself (bad JSON, no key, throttled...), by status.</summary>
    public static string CodeForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => ErrorCodes.InvalidRequest,
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
        StatusCodes.Status413PayloadTooLarge => "payload_too_large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        StatusCodes.Status429TooManyRequests => ErrorCodes.RateLimited,
        StatusCodes.Status503ServiceUnavailable => "unavailable",
        >= 500 => "internal_error",
        _ => "request_refused",
    };

    /// <summary>A request that failed on the way may still have taken effect; its idempotency key makes the repeat safe.</summary>
    private const string RepeatToLearn = "It may have taken effect: repeat it with the same clientOrderId, idempotencyKey or requestId, " +
        "which never acts twice, to learn what it did.";

    public static string DetailForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is malformed.",
        StatusCodes.Status401Unauthorized => "A valid API key is required: Authorization: Bearer <key>.",
        StatusCodes.Status403Forbidden => "This key's role may not use this endpoint.",
        StatusCodes.Status404NotFound => "There is nothing at this address.",
        StatusCodes.Status405MethodNotAllowed => "This address does not accept that method.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "Send JSON with Content-Type: application/json.",
        StatusCodes.Status503ServiceUnavailable => "Part of the exchange did not answer (a silo stopping, or its grains moving to another): " +
            "retry after Retry-After. " + RepeatToLearn,
        >= 500 => "The exchange could not complete the request. " + RepeatToLearn,
        _ => "The request was refused.",
    };

    private static string TitleFor(string code) => code.Replace('_', ' ') switch
    {
        var words => char.ToUpperInvariant(words[0]) + words[1..],
    };
}
