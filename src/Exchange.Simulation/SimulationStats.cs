namespace Exchange.Simulation;

public sealed class SimulationStats
{
    private long _orders;
    private long _refused;
    private long _fills;
    private long _bookings;
    private long _chats;
    private long _failures;
    private long _repriced;
    private long _issuances;
    private long _topUps;
    private readonly HashSet<string> _tradedBooks = [];

    public long Orders => Interlocked.Read(ref _orders);
    public long Refused => Interlocked.Read(ref _refused);
    public long Fills => Interlocked.Read(ref _fills);
    public long Bookings => Interlocked.Read(ref _bookings);
    public long Chats => Interlocked.Read(ref _chats);
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Quotes moved to a new price in one step (each also counted among the orders).</summary>
    public long Repriced => Interlocked.Read(ref _repriced);

    /// <summary>Times the platform issued more time on a book that nobody offered any on.</summary>
    public long Issuances => Interlocked.Read(ref _issuances);

    /// <summary>Deposits that brought a simulated fan's cash back up on pay day.</summary>
    public long TopUps => Interlocked.Read(ref _topUps);

    public int BooksTraded
    {
        get
        {
            lock (_tradedBooks)
            {
                return _tradedBooks.Count;
            }
        }
    }

    internal void Order(bool accepted, int fills, string celebrityId)
    {
        Interlocked.Increment(ref _orders);
        if (!accepted)
        {
            Interlocked.Increment(ref _refused);
        }

        if (fills > 0)
        {
            Interlocked.Add(ref _fills, fills);
            lock (_tradedBooks)
            {
                _tradedBooks.Add(celebrityId);
            }
        }
    }

    internal void Booking() => Interlocked.Increment(ref _bookings);

    internal void Chat() => Interlocked.Increment(ref _chats);

    internal void Failure() => Interlocked.Increment(ref _failures);

    internal void Reprice() => Interlocked.Increment(ref _repriced);

    internal void Issuance() => Interlocked.Increment(ref _issuances);

    internal void TopUp() => Interlocked.Increment(ref _topUps);

    public override string ToString() =>
        $"{Orders} orders ({Refused} refused, {Repriced} repriced), {Fills} fills on {BooksTraded} books, {Bookings} bookings, {Chats} chats, " +
        $"{Issuances} issuances on books without offers, {TopUps} pay-day top-ups, {Failures} failed calls";
}
