using System.Security.Cryptography;

namespace Exchange.Abstractions.Http;

/// <summary>
/// The bearer token format: <c>cx_{keyId}_{secret}</c>. The secret has 256 random bits, so a fast hash is enough:
/// nobody can brute-force it, and verifying stays cheap on every request. Shared with clients, which may make the
/// token of a key they are about to ask for (see <see cref="RotateKeyRequest"/>).
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

    /// <summary>
    /// Whether a token a client made itself has the shape of one made here: a 16-hex-digit id and 43 base64url
    /// characters (256 bits) of secret. Length is all that can be checked; randomness is the client's to supply.
    /// </summary>
    public static bool IsWellFormed(string keyId, string secret) =>
        keyId.Length == 16 && keyId.All(char.IsAsciiHexDigitLower)
        && secret.Length == 43 && secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static byte[] Hash(string secret) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));

    public static bool Matches(byte[] secretHash, string secret) => CryptographicOperations.FixedTimeEquals(secretHash, Hash(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
