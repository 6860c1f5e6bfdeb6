namespace Exchange.Silo.Api;

/// <summary>HTTP API settings (configuration section "Exchange:Api").</summary>
public sealed class ApiOptions
{
    /// <summary>Requests one key (or, without a key, one client address) may make per window.</summary>
    public int RateLimitPermits { get; set; } = 600;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);

    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
}
