namespace Exchange.Grains.Hosting;

/// <summary>Market rules an operator may tune (configuration section "Exchange").</summary>
public sealed class ExchangeOptions
{
    public int CommissionBasisPoints { get; set; } = 300;

    /// <summary>Half-width of the daily band around the reference price, in basis points (1000 = +/-10%).</summary>
    public int PriceBandBasisPoints { get; set; } = 1_000;

    /// <summary>Largest price x quantity one order may carry: 1 billion CNY.</summary>
    public long MaxOrderNotionalFen { get; set; } = 100_000_000_000;

    public int VolatilityMaxMoveBasisPoints { get; set; } = 500;

    public TimeSpan VolatilityWindow { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan VolatilityHaltDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How soon an order book tries again after settlement failed (a wallet or PostgreSQL unreachable).</summary>
    public TimeSpan SettlementRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
