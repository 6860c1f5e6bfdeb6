using System.Text.RegularExpressions;
using Exchange.Abstractions.Http;
using Exchange.Abstractions;

namespace Exchange.Silo.Api.Auth;

/// <summary>Makes keys: checks the account and role, stores the hash, hands back the token once.</summary>
public sealed partial class ApiKeyIssuer(IApiKeyStore keys, TimeProvider time)
{
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex AccountIdPattern();

    public static bool IsValidAccountId(string accountId) => AccountIdPattern().IsMatch(accountId);

    public async Task<(ApiKey Key, string Token)> IssueAsync(string accountId, string role, CancellationToken cancellationToken = default)
    {
        var (keyId, secret, token) = ApiKeyToken.Create();
        var key = new ApiKey(keyId, ApiKeyToken.Hash(secret), accountId, role, time.GetUtcNow(), null);
        await keys.AddAsync(key, cancellationToken);
        return (key, token);
    }

    /// <summary>
    /// Stores a token the caller made itself (already checked with <see cref="ApiKeyToken.IsWellFormed"/>). Storing
    /// the same token for the same account and role again is <see cref="KeyAdoption.AlreadyAdopted"/>, so a request
    /// repeated after its answer was lost does the same thing; an id some other key has is <see cref="KeyAdoption.IdTaken"/>.
    /// </summary>
    public async Task<(KeyAdoption Outcome, ApiKey Key)> AdoptAsync(string accountId, string role, string keyId, string secret, CancellationToken cancellationToken = default)
    {
        var key = new ApiKey(keyId, ApiKeyToken.Hash(secret), accountId, role, time.GetUtcNow(), null);
        if (await keys.AddIfAbsentAsync(key, cancellationToken))
        {
            return (KeyAdoption.Adopted, key);
        }

        var existing = await keys.FindAsync(keyId, cancellationToken);
        return existing is { RevokedAt: null } && existing.AccountId == accountId && existing.Role == role && ApiKeyToken.Matches(existing.SecretHash, secret)
            ? (KeyAdoption.AlreadyAdopted, existing)
            : (KeyAdoption.IdTaken, key);
    }

    public static string? Validate(string accountId, string role)
    {
        if (!ApiRole.All.Contains(role))
        {
            return $"Role must be one of {string.Join(", ", ApiRole.All)}.";
        }

        if (role == ApiRole.Operator)
        {
            return accountId == "operator" || IsValidAccountId(accountId) ? null : "Invalid operator name.";
        }

        return IsValidAccountId(accountId) && !AccountIds.IsSystem(accountId)
            ? null
            : "Account ids are 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit.";
    }
}
