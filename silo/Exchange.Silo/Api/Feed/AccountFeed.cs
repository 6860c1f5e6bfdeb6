using System.Collections.Concurrent;
using Exchange.Abstractions.Grains;

namespace Exchange.Silo.Api.Feed;

/// <summary>
/// Opens live feeds of accounts' own changes (orders, trades, balances) on this silo, at most
/// <see cref="MaxFeedsPerAccount"/> per account so that one key cannot pin down the silo's memory with connections.
/// </summary>
public sealed class AccountFeed(IGrainFactory grains, KeyCheck keyCheck, ILogger<AccountFeed> logger)
{
    public const int MaxFeedsPerAccount = 5;

    private readonly ConcurrentDictionary<string, int> _openPerAccount = new();

    public int OpenFeeds => _openPerAccount.Values.Sum();

    /// <summary>The feed, watching the wallet already; null when the account has too many feeds open here.</summary>
    public async Task<AccountWatch?> OpenAsync(string accountId, string keyId)
    {
        if (_openPerAccount.AddOrUpdate(accountId, 1, (_, open) => open + 1) > MaxFeedsPerAccount)
        {
            Release(accountId);
            return null;
        }

        var watch = new AccountWatch(grains, grains.ByKey<IWalletGrain>(accountId), () => keyCheck.IsActiveAsync(keyId), keyCheck.Interval, logger,
            () => Release(accountId));
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

    private void Release(string accountId)
    {
        if (_openPerAccount.AddOrUpdate(accountId, 0, (_, open) => open - 1) <= 0)
        {
            _openPerAccount.TryRemove(new KeyValuePair<string, int>(accountId, 0));
        }
    }
}
