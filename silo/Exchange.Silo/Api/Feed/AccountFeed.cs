using Exchange.Abstractions.Grains;

namespace Exchange.Silo.Api.Feed;

/// <summary>Opens live feeds of accounts' own changes (orders, trades, balances) on this silo, within the <see cref="FeedQuota"/>.</summary>
public sealed class AccountFeed(IGrainFactory grains, KeyCheck keyCheck, FeedQuota quota, ILogger<AccountFeed> logger)
{
    /// <summary>The feed, watching the wallet already; null when the account has too many feeds open here.</summary>
    public async Task<AccountWatch?> OpenAsync(string accountId, string keyId)
    {
        if (!quota.TryTake(accountId))
        {
            return null;
        }

        var watch = new AccountWatch(grains, grains.ByKey<IWalletGrain>(accountId), keyCheck, keyId, logger, () => quota.Release(accountId));
        try
        {
            await watch.StartAsync();
            return watch;
        }
        catch
        {
            await watch.DisposeAsync();
            throw;
        }
    }
}
