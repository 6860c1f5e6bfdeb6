using System.Security.Claims;
using Exchange.Abstractions.Contracts;

namespace Exchange.Silo.Api.Auth;

/// <summary>Read-only keys may call every endpoint their role may, but only to read.</summary>
public static class ReadOnlyKeys
{
    public const string Claim = "read_only";

    public static bool IsReadOnly(this ClaimsPrincipal user) => user.HasClaim(Claim, "true");

    /// <summary>
    /// Refuses any request but a read made with a read-only key, before it reaches its endpoint. Middleware rather than
    /// a filter on the API's endpoints, so that it holds for every endpoint the silo serves (the operators' dashboard
    /// included) and for any added later.
    /// </summary>
    public static IApplicationBuilder UseReadOnlyKeys(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var method = context.Request.Method;
        if (context.User.IsReadOnly() && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            await ProblemResults.Problem(StatusCodes.Status403Forbidden, ErrorCodes.ReadOnlyKey,
                "This key may only read: place orders, move money and manage keys with the account's own key.").ExecuteAsync(context);
            return;
        }

        await next(context);
    });
}
