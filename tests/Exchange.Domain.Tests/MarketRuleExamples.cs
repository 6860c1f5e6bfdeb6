using Exchange.Domain.Fees;
using Exchange.Domain.Protection;
using Exchange.Domain.Redemption;
using Exchange.Domain.Units;

namespace Exchange.Domain.Tests;

public class MarketRuleExamples
{
    [Theory]
    [InlineData(100, 3)]     // 3.00 exactly
    [InlineData(50, 2)]      // 1.50 rounds half up
    [InlineData(49, 1)]      // 1.47 rounds down
    [InlineData(16, 0)]      // 0.48
    [InlineData(17, 1)]      // 0.51
    [InlineData(0, 0)]
    public void Seller_pays_three_percent_commission_rounded_half_up(long notionalFen, long expectedFen)
    {
        Assert.Equal(new Cash(expectedFen), FeePolicy.Default.CommissionOn(new Cash(notionalFen)));
    }

    [Fact]
    public void Seller_receives_notional_less_commission_and_buyer_pays_notional()
    {
        var settlement = FeePolicy.Default.Settle(new Price(250), new Seconds(7));

        Assert.Equal(new Cash(1_750), settlement.BuyerPays);
        Assert.Equal(new Cash(53), settlement.Commission); // 52.5 rounds up
        Assert.Equal(new Cash(1_697), settlement.SellerReceives);
    }

    [Fact]
    public void Commission_rate_is_configurable_in_basis_points()
    {
        Assert.Equal(new Cash(150), new FeePolicy(150).CommissionOn(new Cash(10_000)));
    }

    [Fact]
    public void Notional_that_would_overflow_is_detected_not_wrapped()
    {
        var price = new Price(long.MaxValue / 2);

        Assert.False(price.TryNotionalOf(new Seconds(3), out _));
        Assert.Throws<OverflowException>(() => price.NotionalOf(new Seconds(3)));
        Assert.True(price.TryNotionalOf(new Seconds(2), out var notional));
        Assert.Equal(long.MaxValue - 1, notional.Fen);
    }

    [Fact]
    public void Commission_on_the_largest_notional_does_not_overflow()
    {
        var fee = FeePolicy.Default.CommissionOn(new Cash(long.MaxValue));

        Assert.Equal((long)Math.Floor(long.MaxValue * 0.03m + 0.5m), fee.Fen);
    }

    [Fact]
    public void Default_band_is_ten_percent_either_side_of_the_reference_price()
    {
        var band = PriceBand.Around(new Price(1_000));

        Assert.Equal(new PriceBand(new Price(900), new Price(1_100)), band);
        Assert.True(band.Contains(new Price(900)));
        Assert.True(band.Contains(new Price(1_100)));
        Assert.False(band.Contains(new Price(899)));
        Assert.False(band.Contains(new Price(1_101)));
    }

    [Fact]
    public void Band_edges_round_inward_to_whole_fen()
    {
        var band = PriceBand.Around(new Price(15));

        Assert.Equal(new Price(14), band.Lower);  // 13.5 rounds up
        Assert.Equal(new Price(16), band.Upper);  // 16.5 rounds down
    }

    [Fact]
    public void Band_never_goes_below_one_fen()
    {
        Assert.Equal(new Price(1), PriceBand.Around(new Price(1)).Lower);
    }

    [Fact]
    public void A_move_beyond_the_limit_within_the_window_halts_trading()
    {
        var rule = new VolatilityHaltRule(500, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));
        var start = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        PricePoint[] recent = [new(start, new Price(1_000)), new(start.AddMinutes(1), new Price(1_020))];

        var haltUntil = rule.Evaluate(recent, new PricePoint(start.AddMinutes(2), new Price(1_051)));

        Assert.Equal(start.AddMinutes(12), haltUntil);
    }

    [Fact]
    public void A_move_within_the_limit_or_outside_the_window_does_not_halt()
    {
        var rule = new VolatilityHaltRule(500, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));
        var start = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        PricePoint[] recent = [new(start, new Price(1_000))];

        Assert.Null(rule.Evaluate(recent, new PricePoint(start.AddMinutes(1), new Price(1_050))));
        Assert.Null(rule.Evaluate(recent, new PricePoint(start.AddMinutes(6), new Price(1_200))));
    }

    [Fact]
    public void A_fall_counts_as_much_as_a_rise()
    {
        var rule = new VolatilityHaltRule(500, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1));
        var start = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.NotNull(rule.Evaluate([new(start, new Price(1_000))], new PricePoint(start.AddSeconds(30), new Price(940))));
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(1, RedemptionTier.Chat)]
    [InlineData(599, RedemptionTier.Chat)]
    [InlineData(600, RedemptionTier.VideoCall)]
    [InlineData(7_499, RedemptionTier.VideoCall)]
    [InlineData(7_500, RedemptionTier.MeetUp)]
    public void Holdings_buy_the_richest_contact_their_tier_allows(long seconds, RedemptionTier? expected)
    {
        Assert.Equal(expected, RedemptionTiers.HighestFor(new Seconds(seconds)));
    }

    [Fact]
    public void Each_tier_needs_its_minimum_seconds()
    {
        Assert.False(RedemptionTiers.Qualifies(RedemptionTier.VideoCall, new Seconds(599)));
        Assert.True(RedemptionTiers.Qualifies(RedemptionTier.VideoCall, new Seconds(600)));
        Assert.False(RedemptionTiers.Qualifies(RedemptionTier.MeetUp, new Seconds(7_499)));
        Assert.True(RedemptionTiers.Qualifies(RedemptionTier.MeetUp, new Seconds(7_500)));
        Assert.False(RedemptionTiers.Qualifies(RedemptionTier.Chat, new Seconds(0)));
    }
}

public class BookingRuleExamples
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_slot_costs_its_tier_minimum_or_more_if_the_celebrity_asks_more_and_never_less()
    {
        Assert.Equal(new Units.Seconds(600), Redemption.BookingRules.SecondsFor(Redemption.SlotKind.VideoCall, new Units.Seconds(0)));
        Assert.Equal(new Units.Seconds(600), Redemption.BookingRules.SecondsFor(Redemption.SlotKind.VideoCall, new Units.Seconds(600)));
        Assert.Equal(new Units.Seconds(900), Redemption.BookingRules.SecondsFor(Redemption.SlotKind.VideoCall, new Units.Seconds(900)));
        Assert.Equal(new Units.Seconds(7_500), Redemption.BookingRules.SecondsFor(Redemption.SlotKind.MeetUp, new Units.Seconds(0)));
        Assert.Null(Redemption.BookingRules.SecondsFor(Redemption.SlotKind.VideoCall, new Units.Seconds(599)));
        Assert.Null(Redemption.BookingRules.SecondsFor(Redemption.SlotKind.MeetUp, new Units.Seconds(600)));
    }

    [Fact]
    public void Fans_may_cancel_only_until_the_cutoff_before_the_start()
    {
        var rules = Redemption.BookingRules.Default;

        Assert.True(rules.FanMayCancel(Start.AddHours(-24).AddTicks(-1), Start));
        Assert.False(rules.FanMayCancel(Start.AddHours(-24), Start));
    }

    [Theory]
    [InlineData(0, 30, true)]     // the same time
    [InlineData(29, 30, true)]    // starts before the other ends
    [InlineData(-29, 30, true)]   // ends after the other starts
    [InlineData(-60, 120, true)]  // around the other
    [InlineData(10, 5, true)]     // within the other
    [InlineData(30, 30, false)]   // starts as the other ends
    [InlineData(-30, 30, false)]  // ends as the other starts
    public void Slots_overlap_when_their_times_share_a_moment(int startsAfterMinutes, int minutes, bool overlap)
    {
        var thirtyMinutes = TimeSpan.FromMinutes(30);

        Assert.Equal(overlap, Redemption.BookingRules.Overlap(Start.AddMinutes(startsAfterMinutes), TimeSpan.FromMinutes(minutes), Start, thirtyMinutes));
        Assert.Equal(overlap, Redemption.BookingRules.Overlap(Start, thirtyMinutes, Start.AddMinutes(startsAfterMinutes), TimeSpan.FromMinutes(minutes)));
    }

    [Fact]
    public void Slot_rules_hold_for_a_slot_stored_at_the_end_of_the_calendar()
    {
        var last = DateTimeOffset.MaxValue.AddMinutes(-10);
        var twentyMinutes = TimeSpan.FromMinutes(20);

        Assert.True(Redemption.BookingRules.Overlap(last.AddMinutes(-5), twentyMinutes, last, twentyMinutes));
        Assert.False(Redemption.BookingRules.Overlap(Start, twentyMinutes, last, twentyMinutes));
        Assert.False(Redemption.BookingRules.Default.IsAbandoned(Start, last, twentyMinutes));
        Assert.False(Redemption.BookingRules.IsWithinLeadTime(Start, last));
        Assert.True(Redemption.BookingRules.IsWithinLeadTime(Start, Start.AddDays(366)));
        Assert.False(Redemption.BookingRules.IsWithinLeadTime(Start, Start.AddDays(366).AddTicks(1)));
    }

    [Fact]
    public void A_booked_slot_is_abandoned_after_its_end_plus_the_grace_period()
    {
        var rules = Redemption.BookingRules.Default;

        Assert.False(rules.IsAbandoned(Start.AddMinutes(30 + 119), Start, TimeSpan.FromMinutes(30)));
        Assert.True(rules.IsAbandoned(Start.AddMinutes(30 + 120), Start, TimeSpan.FromMinutes(30)));
    }

    [Theory]
    [InlineData("UTC", "2026-11-26T23:59:59Z", "2026-11-26")]
    [InlineData("UTC", "2026-11-27T00:00:00Z", "2026-11-27")]
    [InlineData("Asia/Shanghai", "2026-11-26T15:59:59Z", "2026-11-26")]
    [InlineData("Asia/Shanghai", "2026-11-26T16:00:00Z", "2026-11-27")] // midnight in Beijing, 08:00 of the next UTC day
    [InlineData("America/New_York", "2026-07-01T03:59:59Z", "2026-06-30")] // daylight saving: UTC-4
    [InlineData("America/New_York", "2026-12-01T04:59:59Z", "2026-11-30")] // standard time: UTC-5
    public void A_trading_day_ends_at_midnight_in_the_exchanges_time_zone(string zone, string instant, string day)
    {
        var calendar = TradingCalendar.For(zone);

        Assert.Equal(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture),
            calendar.DayOf(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("Asia/Shanghai", "2026-11-27T10:00:00Z", "2026-11-27T16:00:00Z")]
    [InlineData("UTC", "2026-11-27T23:59:59Z", "2026-11-28T00:00:00Z")]
    [InlineData("America/New_York", "2026-03-08T12:00:00Z", "2026-03-09T04:00:00Z")] // the day clocks went forward
    [InlineData("America/Santiago", "2026-09-05T12:00:00Z", "2026-09-06T04:00:00Z")] // clocks skip from midnight to 01:00
    public void The_next_trading_day_starts_at_the_first_moment_of_its_date_in_the_exchanges_time_zone(string zone, string instant, string expected)
    {
        var calendar = TradingCalendar.For(zone);
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

        var next = calendar.StartOfNextDay(at);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
        Assert.Equal(calendar.DayOf(at).AddDays(1), calendar.DayOf(next));
        Assert.Equal(calendar.DayOf(at), calendar.DayOf(next.AddSeconds(-1)));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unknown_time_zone_is_refused_with_a_clear_message(string? zone)
    {
        Assert.Null(TradingCalendar.TryFor(zone));
        if (zone is not null)
        {
            Assert.Contains("IANA id", Assert.Throws<ArgumentException>(() => TradingCalendar.For(zone)).Message);
        }
    }

    [Theory]
    [InlineData(999, "9.99")]
    [InlineData(5, "0.05")]
    [InlineData(100_000, "1000.00")]
    [InlineData(long.MaxValue, "92233720368547758.07")]
    public void Prices_read_in_yuan_exactly(long fenPerSecond, string yuan) => Assert.Equal(yuan, new Price(fenPerSecond).Yuan);
}
