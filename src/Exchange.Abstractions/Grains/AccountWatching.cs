namespace Exchange.Abstractions.Grains;

/// <summary>
/// How long a wallet remembers a watcher (<see cref="IWalletGrain.Watch"/>) and how often watchers renew: a watcher
/// whose silo died is forgotten within the lifetime, and a wallet that moved or restarted is watched again within one
/// renewal.
/// </summary>
public static class AccountWatching
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(30);
}
