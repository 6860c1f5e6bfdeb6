using CsCheck;
using Exchange.Domain.Protection;
using Exchange.Domain.Units;

namespace Exchange.Domain.Tests;

public class VolatilityHaltProperties
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A trade: seconds after the previous one, and its price.</summary>
    private static readonly Gen<(int Gap, long Price)[]> TradesGen = Gen.Select(Gen.Int[0, 90], Gen.Long[900, 1_100]).Array[1, 200];

    [Fact]
    public void Keeping_only_the_latest_sighting_of_each_price_decides_every_halt_as_the_full_history_does()
    {
        var rule = new VolatilityHaltRule(500, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
        TradesGen.Sample(trades =>
        {
            var everything = new List<PricePoint>();
            var recorded = new List<PricePoint>();
            var time = Start;
            foreach (var (gap, price) in trades)
            {
                time = time.AddSeconds(gap);
                var trade = new PricePoint(time, new Price(price));
                if (rule.Evaluate(everything, trade) != rule.Evaluate(recorded, trade))
                {
                    return false;
                }

                everything.Add(trade);
                rule.Record(recorded, trade);
                if (recorded.Count != recorded.Select(point => point.Price).Distinct().Count() || recorded.Any(point => point.Time < time - rule.Window))
                {
                    return false;
                }
            }

            return true;
        });
    }
}
