using System.Globalization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Exchange.Silo.Api;

/// <summary>
/// Tells API clients their budget on every answer, so they can pace themselves rather than find the limit with a 429:
/// <c>RateLimit-Limit</c> (requests per window, and the window in <c>RateLimit-Policy</c>) and <c>RateLimit-Remaining</c>
/// (what is left of the current window for the caller's key, or its address without one), as the IETF draft names them.
/// </summary>
public static class RateLimitHeaders
{
    public static IApplicationBuilder UseRateLimitHeaders(this IApplicationBuilder app)
    {
        var limiter = app.ApplicationServices.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter;
        var options = app.ApplicationServices.GetRequiredService<ApiOptions>();
        return limiter is null ? app : app.Use(async (context, next) =>
        {
            // Unlimited partitions (health checks) report more than the limit; they carry no budget to tell.
            if (limiter.GetStatistics(context) is { } statistics && statistics.CurrentAvailablePermits <= options.RateLimitPermits)
            {
                Write(context, options, statistics.CurrentAvailablePermits);
            }

            await next(context);
        });
    }

    /// <summary>For a request that took more of its window than the one permit the middleware counted (a batch of orders).</summary>
    public static void WriteRemaining(HttpContext context, ApiOptions options, long remaining) => Write(context, options, remaining);

    /// <summary>For the refusal itself, which the limiter answers before the middleware above runs.</summary>
    public static void WriteExhausted(HttpContext context, ApiOptions options) => Write(context, options, 0);

    private static void Write(HttpContext context, ApiOptions options, long remaining)
    {
        var headers = context.Response.Headers;
        headers["RateLimit-Limit"] = options.RateLimitPermits.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Policy"] = string.Create(CultureInfo.InvariantCulture, $"{options.RateLimitPermits};w={(int)Math.Ceiling(options.RateLimitWindow.TotalSeconds)}");
    }
}
