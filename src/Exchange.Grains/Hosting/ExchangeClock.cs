namespace Exchange.Grains.Hosting;

/// <summary>
/// The clock market rules read (trading day, halts, trade timestamps). Kept apart from the host's TimeProvider so tests
/// can move market time without also freezing Orleans' own timers, which run on the host's clock.
/// </summary>
public sealed class ExchangeClock(TimeProvider time)
{
    public static ExchangeClock System { get; } = new(TimeProvider.System);

    public DateTimeOffset UtcNow => time.GetUtcNow();
}
