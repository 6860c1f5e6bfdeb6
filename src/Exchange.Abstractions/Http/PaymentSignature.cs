using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Exchange.Abstractions.Http;

/// <summary>
/// Checks the signature a payment provider puts on a notification: header <c>Exchange-Signature: t=&lt;unix seconds&gt;,
/// v1=&lt;hex HMAC-SHA256 of "t.body" under the shared secret&gt;</c>, the scheme Stripe-style webhooks use. Signing the
/// time with the body lets a stale copy be refused; several v1 values are accepted while a secret is being rotated.
/// </summary>
public static class PaymentSignature
{
    public const string Header = "Exchange-Signature";

    public static string Sign(string secret, long unixSeconds, string body)
    {
        return $"t={unixSeconds.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(Mac(secret, unixSeconds, body))}";
    }

    /// <summary>Null when the header proves the body came from the secret's holder within the tolerance, else why not.</summary>
    public static string? Problem(string? header, string body, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header))
        {
            return $"The {Header} header is missing.";
        }

        long? signedAt = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            var (name, value) = part.IndexOf('=') is var at and > 0 ? (part[..at], part[(at + 1)..]) : (part, "");
            if (name == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                signedAt = seconds;
            }
            else if (name == "v1" && value.Length == 64 && value.All(Uri.IsHexDigit))
            {
                signatures.Add(Convert.FromHexString(value));
            }
        }

        if (signedAt is not { } t || signatures.Count == 0)
        {
            return $"The {Header} header needs t=<unix seconds> and v1=<64 hex digits>.";
        }

        if (t > now.ToUnixTimeSeconds() + (long)tolerance.TotalSeconds || t < now.ToUnixTimeSeconds() - (long)tolerance.TotalSeconds)
        {
            return "The notification was signed too long ago (or in the future); a replayed notification is refused.";
        }

        var expected = Mac(secret, t, body);
        return signatures.Any(signature => CryptographicOperations.FixedTimeEquals(signature, expected))
            ? null
            : "The signature does not match the notification.";
    }

    private static byte[] Mac(string secret, long unixSeconds, string body) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + "." + body));
}
