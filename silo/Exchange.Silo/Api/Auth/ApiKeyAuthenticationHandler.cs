using System.Security.Claims;
using System.Text.Encodings.Web;
using Exchange.Abstractions.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Exchange.Silo.Api.Auth;

/// <summary>Authenticates <c>Authorization: Bearer cx_...</c> against the hashed keys in the store.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyIdClaim = "key_id";
    public const string CookieName = "exchange_key";
    public const string DashboardPath = "/dashboard";

    /// <summary>A request for the Orleans dashboard, which the cookie opens and which keeps the dashboard's own page rules.</summary>
    public static bool IsDashboard(HttpRequest request) => request.Path.StartsWithSegments(DashboardPath);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) && IsDashboard(Request)
            && Request.Cookies.TryGetValue(CookieName, out var cookie) && !string.IsNullOrEmpty(cookie))
        {
            // The dashboard's page cannot add a header to the requests it makes, so it carries the key in a cookie. A
            // browser sends a cookie with requests other sites make too, so the API itself takes only the header:
            // a page elsewhere can never act (halt, rebalance, cancel) with an operator's or fan's cookie.
            header = "Bearer " + cookie;
        }

        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !ApiKeyToken.TryParse(header["Bearer ".Length..].Trim(), out var keyId, out var secret))
        {
            return AuthenticateResult.Fail("Malformed API key.");
        }

        var key = await keys.FindAsync(keyId, Context.RequestAborted);
        if (key is null || key.RevokedAt is not null || !ApiKeyToken.Matches(key.SecretHash, secret))
        {
            // One answer for unknown, revoked and wrong keys: a caller learns nothing about which keys exist.
            return AuthenticateResult.Fail("Invalid or revoked API key.");
        }

        List<Claim> claims = [new(ClaimTypes.NameIdentifier, key.AccountId), new(ClaimTypes.Role, key.AccessRole), new(KeyIdClaim, key.KeyId)];
        if (key.ReadOnly)
        {
            claims.Add(new Claim(ReadOnlyKeys.Claim, "true"));
        }

        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
