using Exchange.Abstractions.Contracts;
using Orleans.CodeGeneration;

namespace Exchange.Abstractions.Grains;

/// <summary>One celebrity's continuous limit order book, with its band, halts and settlement outbox. Key: celebrity id.</summary>
[Version(6)]
public interface IOrderBookGrain : IGrainWithStringKey
{
    /// <summary>Opens the book for trading with a reference price, if it is not open yet.</summary>
    Task Open(long referencePriceFen);

    Task<BookPlacement> Submit(BookOrder order);

    Task<ExchangeError?> Cancel(string orderId, string ownerId);

    /// <summary>
    /// Leaves a resting order at most <paramref name="remainingQuantity"/> seconds to trade, keeping its place in the
    /// queue; what it loses reaches its owner through settlement, like a cancel. One already at or below that changes
    /// nothing, so repeating a reduction is harmless.
    /// </summary>
    Task<BookReduction> Reduce(string orderId, string ownerId, long remainingQuantity);

    /// <summary>
    /// Gives a resting limit order a new price for the seconds it has left. It loses its place in the queue and is
    /// matched at once like an arriving order (fills and self-trade prevention as for a placement), under the same order
    /// id; what it trades or loses reaches its owner through settlement. Its current price changes nothing, so
    /// repeating a price change is harmless.
    /// </summary>
    Task<BookPlacement> Reprice(string orderId, string ownerId, long limitPriceFen);

    Task<MarketQuote> GetQuote();

    Task<BookDepth> GetDepth(int levels);

    Task Halt(string reason);

    Task Resume();

    /// <summary>
    /// Part of a halt of the whole exchange, with the reason the operator gave (the API fills in a default, and records
    /// the same reason in <see cref="IMarketStatusGrain"/>); lifted only by <see cref="ResumeMarket"/>, whatever this
    /// book's own halts.
    /// </summary>
    Task HaltMarket(string reason);

    Task ResumeMarket();

    /// <summary>
    /// Closes the book until <see cref="Relist"/> (see <see cref="ICelebrityGrain.Delist"/>): every resting order is
    /// cancelled through the outbox, like any cancellation, and no order is taken. Returns how many orders it cancelled.
    /// </summary>
    Task<int> Delist(string reason);

    Task Relist();

    /// <summary>Settles everything in the outbox now; Unsettled is 0 when every event has been acknowledged.</summary>
    Task<SettlementStatus> FlushSettlements();
}
