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
    /// <see cref="MatchingEngine.Depth"/> gives them. Null when nothing crosses.
    /// </summary>
    public static AuctionPrice? Find(IReadOnlyList<DepthLevel> bids, IReadOnlyList<DepthLevel> asks, Price reference)
    {
        if (bids.Count == 0 || asks.Count == 0 || bids[0].Price < asks[0].Price)
        {
            return null;
        }

        // Only prices inside the crossed range can trade both sides; every limit there is a candidate.
        var lowest = asks[0].Price;
        var highest = bids[0].Price;
        var candidates = new SortedSet<long>();
        foreach (var level in bids.Concat(asks))
        {
            if (level.Price >= lowest && level.Price <= highest)
            {
                candidates.Add(level.Price.FenPerSecond);
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
