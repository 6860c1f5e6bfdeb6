using Exchange.Abstractions.Grains;

namespace Exchange.Silo.Api;

/// <summary>HTTP API settings (configuration section "Exchange:Api").</summary>
public sealed class ApiOptions
{
    /// <summary>Requests one key (or, without a key, one client address) may make per window.</summary>
    public int RateLimitPermits { get; set; } = 600;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);

    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// How long a silo trusts a key it looked up without asking the database again, which would otherwise cost every
    /// request a round trip. A revocation applies at once on the silo that revoked, within this on the others.
    /// </summary>
    public TimeSpan KeyCacheLifetime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long the public list of celebrities and their quotes is shared by the requests on one silo (see
    /// <see cref="CelebrityListSnapshot"/>). A new listing shows at once; quotes in the list can be this old.
    /// </summary>
    public TimeSpan CelebrityListLifetime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often an open account feed renews its watch on the wallet and re-checks its key: a wallet that restarted
    /// or moved is watched again, and a revoked key's feeds close, within this. Below AccountWatching.Lifetime.
    /// </summary>
    public TimeSpan AccountFeedRenewal { get; set; } = AccountWatching.RenewEvery;

    /// <summary>
    /// How often a silo serving a whole-market live feed looks for celebrities listed since: their trades reach such a
    /// feed within this of the listing.
    /// </summary>
    public TimeSpan FeedListingRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Networks (CIDR, e.g. 10.0.0.0/8) of the proxies in front of the silos whose X-Forwarded-For is believed: behind an
    /// HTTP proxy every request comes from the proxy's address, and without this all anonymous clients would share one
    /// rate limit. Empty (the default): the header is ignored, so a client cannot pick its own address.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Public live feeds one client address may hold open on a silo (a household or office shares one).</summary>
    public int PublicFeedsPerAddress { get; set; } = 20;
}
