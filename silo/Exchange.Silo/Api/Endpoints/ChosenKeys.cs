using Exchange.Abstractions.Contracts;
using Exchange.Abstractions.Http;
using Exchange.Silo.Api.Auth;

namespace Exchange.Silo.Api.Endpoints;

/// <summary>
/// Keys whose token the client made (see <see cref="RotateKeyRequest"/>): the client holds the key before the answer
/// comes, so the request can be repeated after a lost answer. The same token again for the same account and role is a
/// replay (200); a malformed token (400) and an id another key has (409) change nothing.
/// </summary>
public static class ChosenKeys
{
    /// <param name="locationOf">Where the new key is read, from its id.</param>
    public static async Task<IResult> AdoptAsync(ApiKeyIssuer issuer, string accountId, string role, string token, Func<string, string> locationOf, Func<Task>? afterwards = null)
    {
        if (!ApiKeyToken.TryParse(token, out var keyId, out var secret) || !ApiKeyToken.IsWellFormed(keyId, secret))
        {
            return ProblemResults.BadRequest("token must be 'cx_', 16 lowercase hex digits, '_' and 43 base64url characters of random secret.");
        }

        var (outcome, adopted) = await issuer.AdoptAsync(accountId, role, keyId, secret);
        if (outcome == KeyAdoption.IdTaken)
        {
            return ProblemResults.Problem(StatusCodes.Status409Conflict, ErrorCodes.DuplicateRequest, $"Another key has the id '{keyId}'; choose a new token.");
        }

        if (afterwards is not null)
        {
            await afterwards();
        }

        var created = new CreatedKey(adopted.KeyId, adopted.AccountId, adopted.AccessRole, token, adopted.ReadOnly);
        return outcome == KeyAdoption.Adopted ? TypedResults.Created(locationOf(adopted.KeyId), created) : TypedResults.Ok(created);
    }
}
