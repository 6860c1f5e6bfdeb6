using System.Collections.Concurrent;

namespace Exchange.Grains.Hosting;

/// <summary>
/// What the order books active on this silo have not settled yet: the events waiting in their outboxes, and the
/// longest any of them has gone without settling a batch while events waited. A book whose deliveries keep failing
/// retries on its own with a warning per attempt; these two figures (exported as gauges by
/// <see cref="ExchangeMetrics"/>) are what an operator alerts on, since fans' fills and releases wait with them.
/// </summary>
public sealed class SettlementBacklog
{
    private readonly ConcurrentDictionary<BookBacklog, byte> _books = new();

    public BookBacklog Track()
    {
        var book = new BookBacklog();
        _books.TryAdd(book, 0);
        return book;
    }

    public void Untrack(BookBacklog book) => _books.TryRemove(book, out _);

    public long PendingEvents => _books.Keys.Sum(book => (long)book.PendingEvents);

    public TimeSpan LongestStall(DateTimeOffset now)
    {
        var longest = TimeSpan.Zero;
        foreach (var book in _books.Keys)
        {
            var stalled = book.StalledFor(now);
            if (stalled > longest)
            {
                longest = stalled;
            }
        }

        return longest;
    }
}
