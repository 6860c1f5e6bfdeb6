using Exchange.Domain.Orders;
using Exchange.Domain.Units;

namespace Exchange.Domain.Matching;

/// <summary>
/// One side of the book: price levels kept in a sorted array with the best level at the end. Most activity happens
/// near the top of the book, so inserts and removals touch the tail of the array and move few elements.
/// </summary>
internal sealed class BookSide(Side side)
{
    private readonly List<PriceLevel> _levels = new(64);

    public Side Side { get; } = side;

    public int LevelCount => _levels.Count;

    public PriceLevel? Best => _levels.Count == 0 ? null : _levels[^1];

    /// <summary>Levels from best to worst.</summary>
    public IEnumerable<PriceLevel> LevelsBestFirst()
    {
        for (var i = _levels.Count - 1; i >= 0; i--)
        {
            yield return _levels[i];
        }
    }

    public PriceLevel LevelAtIndexFromBest(int index) => _levels[_levels.Count - 1 - index];

    public PriceLevel GetOrAdd(Price price)
    {
        var index = Find(price);
        if (index >= 0)
        {
            return _levels[index];
        }

        var level = new PriceLevel(price);
        _levels.Insert(~index, level);
        return level;
    }

    public void Remove(PriceLevel level)
    {
        if (_levels.Count > 0 && ReferenceEquals(_levels[^1], level))
        {
            _levels.RemoveAt(_levels.Count - 1);
            return;
        }

        var index = Find(level.Price);
        if (index >= 0)
        {
            _levels.RemoveAt(index);
        }
    }

    /// <summary>Ascending by "goodness": bids by price, asks by negated price, so the best is always last.</summary>
    private long SortKey(Price price) => Side == Side.Buy ? price.FenPerSecond : -price.FenPerSecond;

    private int Find(Price price)
    {
        var key = SortKey(price);
        int low = 0, high = _levels.Count - 1;

        // Most lookups are at or near the top of the book, so check the best level before searching.
        if (high >= 0)
        {
            var bestKey = SortKey(_levels[high].Price);
            if (key == bestKey)
            {
                return high;
            }

            if (key > bestKey)
            {
                return ~(high + 1);
            }
        }

        while (low <= high)
        {
            var mid = low + ((high - low) >> 1);
            var midKey = SortKey(_levels[mid].Price);
            if (midKey == key)
            {
                return mid;
            }

            if (midKey < key)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return ~low;
    }
}
