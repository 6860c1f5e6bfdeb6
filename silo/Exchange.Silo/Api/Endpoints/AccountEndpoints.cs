using System.Security.Claims;
using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Http;
using Exchange.Silo.Api.Auth;

namespace Exchange.Silo.Api.Endpoints;

/// <summary>The caller's own key: whose it is, and replacing it; and the read-only keys it gives apps.</summary>
public static class AccountEndpoints
{
    /// <summary>Enough for any app a fan uses, few enough that a script gone wrong cannot fill the key table.</summary>
    public const int MaxActiveReadOnlyKeys = 10;

    public static KeyInfo InfoOf(ApiKey key) => new(key.KeyId, key.AccountId, key.AccessRole, key.CreatedAt, key.RevokedAt, key.ReadOnly);

    public static RouteGroupBuilder MapAccount(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/me").WithTags("Account").RequireAuthorization();

        group.MapGet("/", (ClaimsPrincipal user) => TypedResults.Ok(new Caller(user.AccountId(), user.FindFirstValue(ClaimTypes.Role), user.IsReadOnly())))
            .WithSummary("Who the key belongs to, its role, and whether it may only read");

        group.MapGet("/keys", async (ClaimsPrincipal user, IApiKeyStore keys) =>
            TypedResults.Ok((await keys.ListAsync(user.AccountId())).Select(InfoOf).ToList()))
            .WithSummary("The caller's account's keys, oldest first, revoked ones included; never their secrets");

        group.MapPost("/keys", async Task<IResult> (RotateKeyRequest? request, ClaimsPrincipal user, ApiKeyIssuer issuer, IApiKeyStore keys) =>
        {
            var accountId = user.AccountId();
            var role = ApiRole.Stored(user.FindFirstValue(ClaimTypes.Role)!, readOnly: true);
            var active = (await keys.ListAsync(accountId)).Count(key => key.ReadOnly && key.RevokedAt is null);

            // A repeated request names a key already counted, so it is answered even at the limit.
            var repeated = request?.Token is { } sent && ApiKeyToken.TryParse(sent, out var sentKeyId, out _)
                && await keys.FindAsync(sentKeyId) is { RevokedAt: null } existing && existing.AccountId == accountId;
            if (active >= MaxActiveReadOnlyKeys && !repeated)
            {
                return ProblemResults.Problem(StatusCodes.Status409Conflict, ErrorCodes.TooManyKeys,
                    $"An account may have {MaxActiveReadOnlyKeys} read-only keys at once; revoke one it no longer uses (DELETE /api/v1/me/keys/{{keyId}}).");
            }

            if (request?.Token is { } chosen)
            {
                return await ChosenKeys.AdoptAsync(issuer, accountId, role, chosen, _ => "/api/v1/me/keys");
            }

            var (key, token) = await issuer.IssueAsync(accountId, role);
            return TypedResults.Created("/api/v1/me/keys", new CreatedKey(key.KeyId, key.AccountId, key.AccessRole, token, ReadOnly: true));
        })
            .WithSummary("A read-only key for the caller's account, for an app that shows it: it reads what the caller's role may read and changes nothing")
            .WithDescription("The answer is the only place its token appears, unless you send {\"token\": ...} with one you made (as for POST /me/key), "
                + $"which makes the request safe to repeat. At most {MaxActiveReadOnlyKeys} at once (409 too_many_keys). A read-only key is refused "
                + "every request but a read (403 read_only_key), this one included.")
            .Produces<CreatedKey>(StatusCodes.Status201Created).Produces<CreatedKey>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/keys/{keyId}", async Task<IResult> (string keyId, ClaimsPrincipal user, IApiKeyStore keys, TimeProvider time) =>
        {
            if (keyId == user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim))
            {
                return ProblemResults.BadRequest("That is the key this request was sent with; replace it with POST /api/v1/me/key instead.");
            }

            // Another account's key is answered like a key that does not exist: nobody learns which ids are taken.
            return await keys.FindAsync(keyId) is { RevokedAt: null } key && key.AccountId == user.AccountId() && await keys.RevokeAsync(keyId, time.GetUtcNow())
                ? TypedResults.NoContent()
                : ProblemResults.NotFound(ErrorCodes.UnknownKey, $"Your account has no active key '{keyId}'.");
        })
            .WithSummary("Revoke one of the caller's account's other keys at once (an app's read-only key, say)")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

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
