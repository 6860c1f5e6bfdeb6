using System.Security.Claims;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Http;
using Exchange.Silo.Api.Auth;

namespace Exchange.Silo.Api.Endpoints;

/// <summary>The caller's own key: whose it is, and replacing it.</summary>
public static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccount(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/me").WithTags("Account").RequireAuthorization();

        group.MapGet("/", (ClaimsPrincipal user) => TypedResults.Ok(new Caller(user.AccountId(), user.FindFirstValue(ClaimTypes.Role))))
            .WithSummary("Who the key belongs to and its role");

        group.MapPost("/key", async Task<IResult> (RotateKeyRequest? request, ClaimsPrincipal user, ApiKeyIssuer issuer, IApiKeyStore keys, TimeProvider time) =>
        {
            var accountId = user.AccountId();
            var role = user.FindFirstValue(ClaimTypes.Role)!;
            var usedKeyId = user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim)!;
            if (request?.Token is not { } chosen)
            {
                // The new key first: if revoking the old one then fails, the caller still holds a working key and may retry.
                var (key, token) = await issuer.IssueAsync(accountId, role);
                await keys.RevokeAsync(usedKeyId, time.GetUtcNow());
                return TypedResults.Created("/api/v1/me", new CreatedKey(key.KeyId, key.AccountId, key.Role, token));
            }

            if (ApiKeyToken.TryParse(chosen, out var keyId, out _) && keyId == usedKeyId)
            {
                return ProblemResults.BadRequest("That token is the key this request was sent with; choose a new one.");
            }

            return await ChosenKeys.AdoptAsync(issuer, accountId, role, chosen, _ => "/api/v1/me", () => keys.RevokeAsync(usedKeyId, time.GetUtcNow()));
        })
            .WithSummary("Replace the caller's key: a new key for the same account and role; the key used for this request is revoked")
            .WithDescription("Send {\"token\": ...} with a token you made (cx_, 16 lowercase hex digits, _, 43 base64url characters from a "
                + "secure random source) to hold the new key before the answer comes: if the answer is lost, the new token either works "
                + "(the replacement took) or the old one does and the same request may be sent again (200 once the token is already the "
                + "caller's). Without a body the exchange makes the key, and the answer is the only place its token appears. "
                + "409 duplicate_request when another key has the token's id.")
            .Produces<CreatedKey>(StatusCodes.Status201Created).Produces<CreatedKey>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }
}
