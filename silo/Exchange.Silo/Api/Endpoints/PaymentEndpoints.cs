using System.Text;
using System.Text.Json;
using Exchange.Abstractions;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Grains;
using Exchange.Abstractions.Http;
using Exchange.Domain.Units;
using Exchange.Silo.Api.Auth;
using Exchange.Silo.Api.Payments;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Exchange.Silo.Api.Endpoints;

/// <summary>
/// Fans top up their wallets through the payment provider, which tells the exchange of each payment here. No API key:
/// the provider proves itself by signing the notification with the shared secret.
/// </summary>
public static class PaymentEndpoints
{
    private const string PaymentsLog = "Exchange.Payments";

    public static RouteGroupBuilder MapPayments(this RouteGroupBuilder api)
    {
        api.MapPost("/payments/notifications", async Task<IResult> (HttpRequest request, IOptions<PaymentOptions> payments, IOptions<JsonOptions> json,
            IGrainFactory grains, AccountRegistry accounts, TimeProvider time, ApiMetrics metrics, ILoggerFactory loggers) =>
        {
            var options = payments.Value;
            if (options.WebhookSecret is not { } secret)
            {
                return ProblemResults.Problem(StatusCodes.Status503ServiceUnavailable, ErrorCodes.PaymentsNotConfigured,
                    "This exchange takes no payment notifications (Exchange:Payments:WebhookSecret is not set).");
            }

            // The signature covers the exact bytes sent, so they are read as they came before anything parses them.
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            if (PaymentSignature.Problem(request.Headers[PaymentSignature.Header], body, secret, time.GetUtcNow(), options.SignatureTolerance) is { } forged)
            {
                metrics.PaymentsRefused.Add(1, new KeyValuePair<string, object?>("reason", "signature"));
                return ProblemResults.Problem(StatusCodes.Status401Unauthorized, ErrorCodes.InvalidSignature, forged);
            }

            PaymentNotification? notification;
            try
            {
                notification = JsonSerializer.Deserialize<PaymentNotification>(body, json.Value.SerializerOptions);
            }
            catch (JsonException exception)
            {
                return Refuse(JsonProblemDetail.Describe(exception));
            }

            if (notification is null)
            {
                return Refuse("A payment notification is a JSON object.");
            }

            if (Invalid(notification, options) is { } invalid)
            {
                return Refuse(invalid);
            }

            if (notification.Status != PaymentStatus.Succeeded)
            {
                return TypedResults.Ok(new PaymentReceipt(notification.PaymentId, notification.AccountId, Credited: false, Replayed: false));
            }

            // Credited to an id nobody holds, the money would sit where no fan can see it. Refused, it stays with the
            // provider, whose retries credit it once an operator has made the account's key (or who refunds it).
            if (await accounts.UnknownAsync(notification.AccountId, request.HttpContext.RequestAborted) is { } unknown)
            {
                metrics.PaymentsRefused.Add(1, new KeyValuePair<string, object?>("reason", "unknown_account"));
                loggers.CreateLogger(PaymentsLog).LogWarning("Payment {PaymentId} names {Account}, which has no key and never held anything: not credited",
                    notification.PaymentId, notification.AccountId);
                return unknown;
            }

            var result = await grains.ByKey<IPaymentGrain>(notification.PaymentId).Credit(notification.AccountId, notification.AmountFen);
            if (!result.Succeeded)
            {
                // A conflicting payment id, or a credit the wallet refused (it would overflow the balance).
                var reason = result.Error!.Code == ErrorCodes.PaymentConflict ? "conflict" : "invalid";
                metrics.PaymentsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));
                loggers.CreateLogger(PaymentsLog).LogWarning("Payment {PaymentId} for {Account} was not credited: {Code}", notification.PaymentId, notification.AccountId, result.Error.Code);
                return ProblemResults.From(result.Error);
            }

            if (!result.WasReplay)
            {
                metrics.PaymentsCredited.Add(1);
                metrics.PaymentFenCredited.Add(notification.AmountFen);
                loggers.CreateLogger(PaymentsLog).LogInformation("Payment {PaymentId} credited {Amount} to {Account}",
                    notification.PaymentId, new Cash(notification.AmountFen), notification.AccountId);
            }

            return TypedResults.Ok(new PaymentReceipt(notification.PaymentId, notification.AccountId, Credited: !result.WasReplay, Replayed: result.WasReplay));

            IResult Refuse(string problem)
            {
                metrics.PaymentsRefused.Add(1, new KeyValuePair<string, object?>("reason", "invalid"));
                return ProblemResults.BadRequest(problem);
            }
        })
        .AllowAnonymous()
        .Accepts<PaymentNotification>("application/json")
        .WithTags("Payments")
        .WithSummary("For the payment provider: a fan's payment changed state. Signed (Exchange-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 " +
            "of \"t.body\">); a succeeded payment credits the fan once per paymentId. A fan's account that does not exist (no key, never held " +
            "anything) is refused with 404 unknown_account, so that the provider's retry credits it once it does")
        .Produces<PaymentReceipt>()
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return api;
    }

    private static string? Invalid(PaymentNotification notification, PaymentOptions options) =>
        notification.PaymentId is not { Length: >= 1 and <= 128 } ? "paymentId takes 1 to 128 characters."
        : !ApiKeyIssuer.IsValidAccountId(notification.AccountId) || AccountIds.IsSystem(notification.AccountId) ? $"'{notification.AccountId}' is not a fan's account."
        : notification.AmountFen <= 0 ? "amountFen must be a positive number of fen."
        : notification.AmountFen > options.MaxDepositFen ? $"One payment may credit at most {new Cash(options.MaxDepositFen)} ({options.MaxDepositFen} fen); an operator must look into this one."
        : null;
}
