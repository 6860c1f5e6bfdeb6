namespace Exchange.Grains.Hosting;

/// <summary>
/// One active order book's entry in <see cref="SettlementBacklog"/>. The book writes it from its own turns; the metrics
/// exporter reads it from its own thread, so every field is read and written whole (volatile).
/// </summary>
public sealed class BookBacklog
{
    private int _pendingEvents;

    /// <summary>UTC ticks since which the book has had events waiting without settling any; 0 while none wait.</summary>
    private long _waitingSinceTicks;

    public int PendingEvents => Volatile.Read(ref _pendingEvents);

    /// <summary>Events joined the outbox (or were found in it on activation): a wait starts now unless one is running.</summary>
    public void Added(int pendingEvents, DateTimeOffset now)
    {
        Volatile.Write(ref _pendingEvents, pendingEvents);
        if (pendingEvents > 0 && Volatile.Read(ref _waitingSinceTicks) == 0)
        {
            Volatile.Write(ref _waitingSinceTicks, now.UtcTicks);
        }
    }

    /// <summary>A batch was settled: that is progress, so whatever still waits has waited only from now.</summary>
    public void Settled(int pendingEvents, DateTimeOffset now)
    {
        Volatile.Write(ref _pendingEvents, pendingEvents);
        Volatile.Write(ref _waitingSinceTicks, pendingEvents > 0 ? now.UtcTicks : 0);
    }

    public TimeSpan StalledFor(DateTimeOffset now)
    {
        var since = Volatile.Read(ref _waitingSinceTicks);
        return since == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(0, now.UtcTicks - since));
    }
}
