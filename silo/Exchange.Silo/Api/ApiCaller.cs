using System.Security.Claims;

namespace Exchange.Silo.Api;

public static class ApiCaller
{
    /// <summary>The account the caller's key belongs to: a fan may only ever act as this account.</summary>
    public static string AccountId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Endpoint reached without an authenticated key.");
}
