using System.Security.Claims;
using Exchange.Abstractions.Contracts;

namespace Exchange.Silo.Api.Auth;

/// <summary>Read-only keys may call every endpoint their role may, but only to read.</summary>
public static class ReadOnlyKeys
{
    public const string Claim = "read_only";

    public static bool IsReadOnly(this ClaimsPrincipal user) => user.HasClaim(Claim, "true");

    /// <summary>An endpoint filter for the whole API: any request but a read, made with a read-only key, is refused.</summary>
    public static async ValueTask<object?> RefuseWritesAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (context.HttpContext.User.IsReadOnly() && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return ProblemResults.Problem(StatusCodes.Status403Forbidden, ErrorCodes.ReadOnlyKey,
                "This key may only read: place orders, move money and manage keys with the account's own key.");
        }

        return await next(context);
    }
}
