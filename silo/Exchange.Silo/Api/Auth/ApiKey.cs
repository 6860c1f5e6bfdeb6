using System.Security.Cryptography;

namespace Exchange.Silo.Api.Auth;

/// <summary>A key as stored: never the secret itself, only its SHA-256 hash.</summary>
public sealed record ApiKey(string KeyId, byte[] SecretHash, string AccountId, string Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// The bearer token format: <c>cx_{keyId}_{secret}</c>. The secret has 256 random bits, so a fast hash is enough:
/// nobody can brute-force it, and verifying stays cheap on every request.
/// </summary>
public static class ApiKeyToken
{
    private const string Prefix = "cx_";

    public static (string KeyId, string Secret, string Token) Create()
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (keyId, secret, $"{Prefix}{keyId}_{secret}");
    }

    public static bool TryParse(string token, out string keyId, out string secret)
    {
        keyId = secret = "";
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return false;
        }

        var separator = token.IndexOf('_', Prefix.Length);
        if (separator <= Prefix.Length || separator == token.Length - 1)
        {
            return false;
        }

        keyId = token[Prefix.Length..separator];
        secret = token[(separator + 1)..];
        return true;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));

    public static bool Matches(ApiKey key, string secret) => CryptographicOperations.FixedTimeEquals(key.SecretHash, Hash(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
