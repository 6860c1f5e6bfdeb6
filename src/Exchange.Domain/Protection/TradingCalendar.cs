namespace Exchange.Domain.Protection;

/// <summary>
/// Which trading day an instant belongs to. The daily band's reference becomes the previous close when a day begins,
/// and fees are totalled per day, so the day must end at midnight where the exchange operates, not wherever UTC's
/// midnight falls (08:00 in Beijing).
/// </summary>
public sealed class TradingCalendar(TimeZoneInfo zone)
{
    public DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>When the trading day after <paramref name="instant"/>'s begins: midnight where the exchange operates (or the first valid time after it, where clocks skip midnight).</summary>
    public DateTimeOffset StartOfNextDay(DateTimeOffset instant)
    {
        var midnight = TimeZoneInfo.ConvertTime(instant, zone).Date.AddDays(1);
        while (zone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddMinutes(15);
        }

        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }

    /// <summary>A calendar for an IANA time zone id such as "Asia/Shanghai", or "UTC".</summary>
    public static TradingCalendar For(string timeZoneId) =>
        TryFor(timeZoneId) ?? throw new ArgumentException($"Unknown time zone '{timeZoneId}': use an IANA id such as Asia/Shanghai or UTC.", nameof(timeZoneId));

    public static TradingCalendar? TryFor(string? timeZoneId) =>
        !string.IsNullOrWhiteSpace(timeZoneId) && TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) ? new TradingCalendar(zone) : null;
}
