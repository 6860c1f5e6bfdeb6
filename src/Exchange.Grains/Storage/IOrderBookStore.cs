using Exchange.Abstractions.Contracts;
using Exchange.Grains.State;

namespace Exchange.Grains.Storage;

/// <summary>
/// Where order books live. A book is stored incrementally: each write replaces the small header and changes only
/// the resting orders that changed, all or nothing, and only if storage still holds the version the writer read
/// (so a stale activation can never overwrite a newer one). The trades a write carries go into the trade journal in
/// the same transaction: one commit makes a trade both durable and journalled.
/// </summary>
public interface IOrderBookStore
{
    /// <summary>The book with every resting order, in time priority; null if it was never stored here.</summary>
    Task<StoredOrderBook?> ReadAsync(string celebrityId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="changes"/> if storage is at <paramref name="expectedVersion"/> (0: nothing stored yet)
    /// and returns the new version; otherwise stores nothing and throws <see cref="Orleans.Storage.InconsistentStateException"/>.
    /// The header is serialized before this returns, so the caller may go on changing it while the write is in flight.
    /// </summary>
    Task<long> WriteAsync(string celebrityId, long expectedVersion, OrderBookChanges changes, CancellationToken cancellationToken = default);
}

/// <param name="State">
/// The header, with <see cref="OrderBookState.RestingOrders"/> holding every resting order and
/// <see cref="OrderBookState.StopOrders"/> every stop order.
/// </param>
public sealed record StoredOrderBook(long Version, OrderBookState State);

/// <param name="Header">The book's state apart from its resting orders (which must be empty in it).</param>
/// <param name="Upserts">Resting orders that are new or have less left.</param>
/// <param name="Removals">Engine ids of orders no longer resting (filled, cancelled) or stops no longer waiting.</param>
/// <param name="Trades">Trades not yet known to be in the journal; one already there is left as it is.</param>
public sealed record OrderBookChanges(
    OrderBookState Header,
    IReadOnlyList<RestingOrderState> Upserts,
    IReadOnlyList<long> Removals,
    IReadOnlyList<TradeRecord>? Trades = null)
{
    public IReadOnlyList<TradeRecord> Trades { get; init; } = Trades ?? [];

    /// <summary>Stop orders that are new or have less left.</summary>
    public IReadOnlyList<StopOrderState> StopUpserts { get; init; } = [];
}
