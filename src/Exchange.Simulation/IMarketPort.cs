using Exchange.Abstractions.Contracts;

namespace Exchange.Simulation;

/// <summary>
/// What a simulated fan can do, and nothing more than a real one can: the simulator runs over the HTTP API (the
/// `exchange simulate` command) or straight against the grains (the embedded default), through this port.
/// </summary>
public interface IMarketPort
{
    Task<IReadOnlyList<string>> CelebritiesAsync(CancellationToken ct);

    Task<MarketQuote> QuoteAsync(string celebrityId, CancellationToken ct);

    /// <summary>Operator step: lists the celebrity if needed and makes sure the treasury offers time on its book.</summary>
    Task EnsureCelebrityAsync(string celebrityId, long seconds, long priceFen, CancellationToken ct);

    /// <summary>Operator step: the audit of the whole exchange.</summary>
    Task<AuditReport> AuditAsync(CancellationToken ct);

    /// <summary>Makes sure the fan exists and holds at least <paramref name="cashFen"/> (an operator deposit).</summary>
    Task PrepareFanAsync(string fanId, long cashFen, CancellationToken ct);

    /// <summary>Operator step: brings a prepared fan's cash back up to <paramref name="cashFen"/> (a deposit, if it has less); true if it did.</summary>
    Task<bool> TopUpAsync(string fanId, long cashFen, CancellationToken ct);

    /// <summary>
    /// Operator step: the platform buys more of the celebrity's time and offers it on the book at that price, as an accepted
    /// offer of time is issued. The treasury pays from its cash (what it sold time for), topped up by a deposit if short.
    /// </summary>
    Task IssueTimeAsync(string celebrityId, string issuanceId, long seconds, long priceFen, CancellationToken ct);

    Task<OrderResult> PlaceAsync(string fanId, PlaceOrderCommand order, CancellationToken ct);

    Task CancelAsync(string fanId, string orderId, CancellationToken ct);

    /// <summary>Gives the fan's resting limit order a new price in one step; refusals are in the result, as for a placement.</summary>
    Task<OrderResult> RepriceAsync(string fanId, string orderId, long priceFen, CancellationToken ct);

    Task<WalletSnapshot> WalletAsync(string fanId, CancellationToken ct);

    Task<IReadOnlyList<SlotView>> SlotsAsync(string celebrityId, CancellationToken ct);

    Task<bool> BookAsync(string fanId, string celebrityId, string slotId, CancellationToken ct);

    /// <summary>
    /// A short text chat: the fan opens it holding up to <paramref name="seconds"/>, the celebrity's side answers (the
    /// simulator plays it, as an operator may), and the fan ends it, paying for the moments in between.
    /// </summary>
    Task<bool> ChatAsync(string fanId, string celebrityId, long seconds, CancellationToken ct);
}
