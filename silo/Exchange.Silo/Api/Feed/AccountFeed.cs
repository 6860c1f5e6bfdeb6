using Exchange.Abstractions.Grains;

namespace Exchange.Silo.Api.Feed;

/// <summary>Opens live feeds of accounts' own changes (orders, trades, balances) on this silo.</summary>
public sealed class AccountFeed(IGrainFactory grains, KeyCheck keyCheck, ILogger<AccountFeed> logger)
{
    /// <summary>The feed, watching the wallet already.</summary>
    public async Task<AccountWatch> OpenAsync(string accountId, string keyId)
    {
        var watch = new AccountWatch(grains, grains.ByKey<IWalletGrain>(accountId), keyCheck, keyId, logger);
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
