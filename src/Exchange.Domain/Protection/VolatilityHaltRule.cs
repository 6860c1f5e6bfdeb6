namespace Exchange.Domain.Protection;

/// <summary>
/// Pauses trading when the price moves more than <paramref name="MaxMoveBasisPoints"/> away from any trade price
/// seen within <paramref name="Window"/>; the pause lasts <paramref name="HaltDuration"/>.
/// </summary>
public sealed record VolatilityHaltRule(int MaxMoveBasisPoints, TimeSpan Window, TimeSpan HaltDuration)
{
    public static VolatilityHaltRule Default { get; } = new(500, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));

    /// <summary>The end of the halt that <paramref name="latest"/> triggers, or null when the move is within limits.</summary>
    public DateTimeOffset? Evaluate(IEnumerable<PricePoint> recent, PricePoint latest)
    {
        var windowStart = latest.Time - Window;
        foreach (var point in recent)
        {
            if (point.Time < windowStart || point.Time > latest.Time)
            {
                continue;
            }

            var move = Int128.Abs((Int128)latest.Price.FenPerSecond - point.Price.FenPerSecond) * 10_000;
            if (move > (Int128)MaxMoveBasisPoints * point.Price.FenPerSecond)
            {
                return latest.Time + HaltDuration;
            }
        }

        return null;
    }

    /// <summary>
    /// Adds a trade's price to <paramref name="recent"/>, keeping only the latest sighting of each price and nothing
    /// older than the window. <see cref="Evaluate"/> only asks whether some price seen within the window is too far
    /// away, which the latest sighting of each price answers alone; so the list grows with the number of distinct
    /// prices, not with the number of trades (an active book trades thousands of times in a window).
    /// </summary>
    public void Record(List<PricePoint> recent, PricePoint trade)
    {
        recent.RemoveAll(point => point.Price == trade.Price);
        recent.Add(trade);
        Trim(recent, trade.Time);
    }

    /// <summary>Drops points that can no longer matter for a trade at or after <paramref name="now"/>.</summary>
    public void Trim(List<PricePoint> recent, DateTimeOffset now)
    {
        var windowStart = now - Window;
        recent.RemoveAll(point => point.Time < windowStart);
    }
}
