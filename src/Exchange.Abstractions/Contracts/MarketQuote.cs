namespace Exchange.Abstractions.Contracts;

/// <summary>
/// Trading conditions of one book right now. A delisted celebrity's book also reads as halted with no end, with the
/// delisting's reason, so a client that knows nothing of delisting still stops trading it. During a volatility halt
/// the book collects limit orders for its reopening auction (<see cref="AuctionCall"/>); its bid and ask may then
/// cross, and <see cref="AuctionPriceFen"/> and <see cref="AuctionQuantity"/> say what the auction would trade if the
/// halt ended now.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MarketQuote(
    [property: Id(0)] string CelebrityId,
    [property: Id(1)] bool IsOpen,
    [property: Id(2)] long ReferencePriceFen,
    [property: Id(3)] long BandLowerFen,
    [property: Id(4)] long BandUpperFen,
    [property: Id(5)] long? LastPriceFen,
    [property: Id(6)] long? BestBidFen,
    [property: Id(7)] long? BestAskFen,
    [property: Id(8)] DateTimeOffset? HaltedUntil,
    [property: Id(9)] string? HaltReason,
    [property: Id(10)] bool IsDelisted = false,
    [property: Id(11)] bool AuctionCall = false,
    [property: Id(12)] long? AuctionPriceFen = null,
    [property: Id(13)] long AuctionQuantity = 0);
