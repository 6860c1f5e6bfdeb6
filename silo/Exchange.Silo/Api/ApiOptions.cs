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
}
