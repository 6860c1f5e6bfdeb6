using System.Text.RegularExpressions;
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
