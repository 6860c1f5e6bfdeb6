using System.Security.Claims;
using Exchange.Silo.Api.Auth;

namespace Exchange.Silo.Api.Feed;

/// <summary>
/// A live feed outlives the request that opened it, so it asks again, every <see cref="ApiOptions.AccountFeedRenewal"/>,
/// whether the key it was opened with still stands; a revoked key's feeds end.
/// </summary>
public sealed class KeyCheck(IApiKeyStore keys, ApiOptions options, ILogger<KeyCheck> logger)
{
    private TimeSpan Interval => options.AccountFeedRenewal;

    private async Task<bool> IsActiveAsync(string keyId)
    {
        try
        {
            return await keys.FindAsync(keyId) is { RevokedAt: null };
        }
        catch (Exception exception)
        {
            // A database hiccup is no reason to cut every feed; the next check asks again.
            logger.LogDebug(exception, "Could not check the key of a live feed");
            return true;
        }
    }

    /// <summary>
    /// Ties a private feed's listener to the request that opened it: <paramref name="stop"/> runs when the response ends
    /// (a feed that closes by itself, as a one-chat feed does when its chat ends), when the client goes away, or when the
    /// key that opened it is revoked. Running it more than once is the listener's to allow. <paramref name="upkeep"/>, if
    /// given, runs after each check the key passes, while the feed lasts.
    /// </summary>
    public void StopFeedWith(HttpContext context, Action stop, Func<Task>? upkeep = null)
    {
        context.Response.OnCompleted(() =>
        {
            stop();
            return Task.CompletedTask;
        });
        context.RequestAborted.Register(stop);
        _ = EndWhenRevokedAsync(context.User.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim)!, stop, context.RequestAborted, upkeep);
    }

    /// <summary>
    /// Runs <paramref name="end"/> once the key is revoked, checking until <paramref name="cancellationToken"/> fires;
    /// after each check the key passes, runs <paramref name="renew"/> if given (a feed's own upkeep, on the same beat).
    /// </summary>
    public async Task EndWhenRevokedAsync(string keyId, Action end, CancellationToken cancellationToken, Func<Task>? renew = null)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (!await IsActiveAsync(keyId))
                {
                    end();
                    return;
                }

                if (renew is not null)
                {
                    await RenewAsync(renew, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// A failed upkeep (a grain call that timed out, a database away) is not thrown on: the feed stays open, its key is
    /// still checked and the upkeep is tried again on the next beat, and one failing while the feed closes does not fail
    /// the closing. Only the feed's own end stops the beat.
    /// </summary>
    private async Task RenewAsync(Func<Task> renew, CancellationToken cancellationToken)
    {
        try
        {
            await renew();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug(exception, "A live feed's upkeep failed; trying again at the next check of its key");
        }
    }
}
