using Exchange.Domain.Protection;
using Exchange.Domain.Units;

namespace Exchange.Domain.Matching;

/// <summary>
/// The single price a call auction trades at, the seconds that would trade there, and what would be left over on the
/// heavier side (<paramref name="Surplus"/>, positive for buyers, negative for sellers).
/// </summary>
public readonly record struct AuctionPrice(Price Price, Seconds Quantity, long Surplus)
{
    /// <summary>
    /// Where a crossed book uncrosses, by the usual call-auction rules in turn: the most seconds traded, then the least
    /// left over, then the side left over pushes the price its way (the highest candidate for buyers, the lowest for
    /// sellers), then the candidate nearest <paramref name="reference"/>, then the lower. Levels are best first, as
    /// <see cref="MatchingEngine.Depth"/> gives them. Never outside <paramref name="band"/>: orders that rested from an
    /// earlier day's band may cross only outside today's. Null when nothing crosses within it.
    /// </summary>
    public static AuctionPrice? Find(IReadOnlyList<DepthLevel> bids, IReadOnlyList<DepthLevel> asks, Price reference, PriceBand band)
    {
        if (bids.Count == 0 || asks.Count == 0 || bids[0].Price < asks[0].Price)
        {
            return null;
        }

        // Only prices inside the crossed range can trade both sides; every limit there is a candidate, and so is an
        // edge of the band that cuts the range.
        var lowest = asks[0].Price > band.Lower ? asks[0].Price : band.Lower;
        var highest = bids[0].Price < band.Upper ? bids[0].Price : band.Upper;
        var candidates = new SortedSet<long>();
        foreach (var price in bids.Concat(asks).Select(level => level.Price).Append(band.Lower).Append(band.Upper))
        {
            if (price >= lowest && price <= highest)
            {
                candidates.Add(price.FenPerSecond);
            }
        }

        AuctionPrice? best = null;
        foreach (var candidate in candidates)
        {
            var price = new Price(candidate);
            var demand = bids.Where(level => level.Price >= price).Sum(level => level.Quantity.Value);
            var supply = asks.Where(level => level.Price <= price).Sum(level => level.Quantity.Value);
            var option = new AuctionPrice(price, new Seconds(Math.Min(demand, supply)), demand - supply);
            if (best is not { } current || IsBetter(option, current, reference))
            {
                best = option;
            }
        }

        return best;
    }

    private static bool IsBetter(AuctionPrice option, AuctionPrice current, Price reference)
    {
        if (option.Quantity != current.Quantity)
        {
            return option.Quantity.Value > current.Quantity.Value;
        }

        if (Math.Abs(option.Surplus) != Math.Abs(current.Surplus))
        {
            return Math.Abs(option.Surplus) < Math.Abs(current.Surplus);
        }

        // Candidates come lowest first: with buyers left over the higher price wins, with sellers the lower stays.
        if (option.Surplus != 0 && Math.Sign(option.Surplus) == Math.Sign(current.Surplus))
        {
            return option.Surplus > 0;
        }

        var optionDistance = Math.Abs(option.Price.FenPerSecond - reference.FenPerSecond);
        var currentDistance = Math.Abs(current.Price.FenPerSecond - reference.FenPerSecond);
        return optionDistance < currentDistance;
    }
}
